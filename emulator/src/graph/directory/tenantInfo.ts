// What a connection check reads: organization (verified domains), service principals, directory role
// assignments and definitions; and revokeSignInSessions (graph-spec §2.4).
import type { EmulatorContext } from '../../context';
import type { Router } from '../../http/router';
import { DIRECTORY_ROLES, type DirectoryRoleAssignment, type ServicePrincipal } from '../../state/model';
import { requireDelegatedRole, requireSensitiveAction } from '../kernel/auth';
import { graphErrors } from '../kernel/errors';
import { addGraphRoute, type GraphCall } from '../kernel/pipeline';
import {
  ROLE_ASSIGNMENT_FILTERS,
  ROLE_DEFINITION_FILTERS,
  SERVICE_PRINCIPAL_FILTERS,
} from '../query/capabilities';
import { listCollection } from '../query/collection';
import { selectProperties } from '../query/select';
import { SERVICE_PRINCIPAL_DEFAULT_SELECT, servicePrincipalView } from './directoryObjects';
import { ORGANIZATION_READ, ROLE_READ, SERVICE_PRINCIPAL_READ, USER_REVOKE } from './permissions';
import { isoOrNull, requireUser } from './userModel';
import { rolesOf } from '../../tokens/accessToken';

function organizationView(call: GraphCall): Record<string, unknown> {
  const t = call.tenant;
  return {
    id: t.id,
    displayName: t.displayName,
    tenantType: 'AAD',
    countryLetterCode: 'US',
    createdDateTime: isoOrNull(Date.UTC(2020, 0, 1)),
    assignedPlans: [],
    verifiedDomains: t.domains
      .filter((d) => d.isVerified)
      .map((d) => ({
        capabilities: 'Email, OfficeCommunicationsOnline',
        isDefault: d.isDefault,
        isInitial: d.isInitial,
        name: d.id,
        type: d.authenticationType,
      })),
  };
}

function roleDefinitions(): Record<string, unknown>[] {
  return Object.entries(DIRECTORY_ROLES).map(([name, id]) => ({
    id,
    templateId: id,
    displayName: name,
    description: name,
    isBuiltIn: true,
    isEnabled: true,
    rolePermissions: [],
  }));
}

function roleAssignmentView(r: DirectoryRoleAssignment): Record<string, unknown> {
  return {
    id: r.id,
    principalId: r.principalId,
    roleDefinitionId: r.roleDefinitionId,
    directoryScopeId: r.directoryScopeId,
  };
}

export function registerTenantInfoRoutes(router: Router, ctx: EmulatorContext): void {
  addGraphRoute(router, ctx, 'GET', '/v1.0/organization', { permissions: ORGANIZATION_READ }, (_req, call) =>
    call.json(200, { '@odata.context': call.odataContext('organization'), value: [organizationView(call)] }),
  );
  addGraphRoute(
    router,
    ctx,
    'GET',
    '/v1.0/organization/{id}',
    { permissions: ORGANIZATION_READ },
    (req, call) => {
      if (req.params.id!.toLowerCase() !== call.tenant.id.toLowerCase())
        throw graphErrors.notFound(req.params.id!);
      return call.json(200, {
        '@odata.context': call.odataContext('organization/$entity'),
        ...organizationView(call),
      });
    },
  );

  const spCollection = (call: GraphCall) => ({
    entitySet: 'servicePrincipals',
    resourceName: 'ServicePrincipal',
    typeName: 'microsoft.graph.servicePrincipal',
    capabilities: SERVICE_PRINCIPAL_FILTERS,
    items: [...call.tenant.servicePrincipals.values()],
    view: (sp: ServicePrincipal) => servicePrincipalView(sp),
    defaultSelect: SERVICE_PRINCIPAL_DEFAULT_SELECT,
    selectable: SERVICE_PRINCIPAL_DEFAULT_SELECT,
    orderable: { default: ['displayName'], advanced: [] },
  });
  addGraphRoute(
    router,
    ctx,
    'GET',
    '/v1.0/servicePrincipals',
    { permissions: SERVICE_PRINCIPAL_READ },
    (req, call) => listCollection(req, call, spCollection(call)),
  );
  addGraphRoute(
    router,
    ctx,
    'GET',
    '/v1.0/servicePrincipals/{id}',
    { permissions: SERVICE_PRINCIPAL_READ },
    (req, call) => {
      const sp = [...call.tenant.servicePrincipals.values()].find(
        (s) => s.id.toLowerCase() === req.params.id!.toLowerCase(),
      );
      if (!sp) throw graphErrors.notFound(req.params.id!);
      const selected = req.query
        .get('$select')
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return call.json(200, {
        '@odata.context': call.odataContext('servicePrincipals/$entity'),
        ...selectProperties(
          servicePrincipalView(sp),
          selected,
          SERVICE_PRINCIPAL_DEFAULT_SELECT,
          SERVICE_PRINCIPAL_DEFAULT_SELECT,
          'microsoft.graph.servicePrincipal',
        ),
      });
    },
  );
  // GET /servicePrincipals(appId='{appId}') — alternate key (serviceprincipal-get); GraphRouter rewrites the
  // key segment to this path.
  addGraphRoute(
    router,
    ctx,
    'GET',
    '/v1.0/servicePrincipals(appId)/{appId}',
    { permissions: SERVICE_PRINCIPAL_READ },
    (req, call) => {
      const appId = req.params.appId!;
      const sp = [...call.tenant.servicePrincipals.values()].find(
        (s) => s.appId.toLowerCase() === appId.toLowerCase(),
      );
      if (!sp) throw graphErrors.notFound(appId);
      return call.json(200, {
        '@odata.context': call.odataContext('servicePrincipals/$entity'),
        ...servicePrincipalView(sp),
      });
    },
  );

  addGraphRoute(
    router,
    ctx,
    'GET',
    '/v1.0/roleManagement/directory/roleAssignments',
    { permissions: ROLE_READ },
    (req, call) =>
      listCollection(req, call, {
        entitySet: 'roleManagement/directory/roleAssignments',
        resourceName: 'UnifiedRoleAssignment',
        typeName: 'microsoft.graph.unifiedRoleAssignment',
        capabilities: ROLE_ASSIGNMENT_FILTERS,
        items: call.tenant.roleAssignments,
        view: roleAssignmentView,
        defaultSelect: ['id', 'principalId', 'roleDefinitionId', 'directoryScopeId'],
        selectable: ['id', 'principalId', 'roleDefinitionId', 'directoryScopeId'],
      }),
  );
  addGraphRoute(
    router,
    ctx,
    'GET',
    '/v1.0/roleManagement/directory/roleDefinitions',
    { permissions: ROLE_READ },
    (req, call) =>
      listCollection(req, call, {
        entitySet: 'roleManagement/directory/roleDefinitions',
        resourceName: 'UnifiedRoleDefinition',
        typeName: 'microsoft.graph.unifiedRoleDefinition',
        capabilities: ROLE_DEFINITION_FILTERS,
        items: roleDefinitions(),
        view: (d) => d,
        defaultSelect: [
          'id',
          'templateId',
          'displayName',
          'description',
          'isBuiltIn',
          'isEnabled',
          'rolePermissions',
        ],
        selectable: [
          'id',
          'templateId',
          'displayName',
          'description',
          'isBuiltIn',
          'isEnabled',
          'rolePermissions',
        ],
      }),
  );
  addGraphRoute(
    router,
    ctx,
    'GET',
    '/v1.0/roleManagement/directory/roleDefinitions/{id}',
    { permissions: ROLE_READ },
    (req, call) => {
      const d = roleDefinitions().find((r) => String(r.id).toLowerCase() === req.params.id!.toLowerCase());
      if (!d) throw graphErrors.notFound(req.params.id!);
      return call.json(200, {
        '@odata.context': call.odataContext('roleManagement/directory/roleDefinitions/$entity'),
        ...d,
      });
    },
  );

  addGraphRoute(
    router,
    ctx,
    'POST',
    '/v1.0/users/{id}/revokeSignInSessions',
    { permissions: USER_REVOKE },
    (req, call) => {
      requireDelegatedRole(
        call.caller,
        'Global Administrator',
        'User Administrator',
        'Helpdesk Administrator',
        'Privileged Authentication Administrator',
      );
      const user = requireUser(call.tenant, req.params.id!);
      if (rolesOf(call.tenant, user.id).length > 0)
        requireSensitiveAction(call.caller, call.tenant, user.id, 'sensitiveProperty');
      // The sign-in service refuses refresh tokens issued before this instant (AADSTS50173).
      user.signInSessionsValidFrom = call.now;
      user.changedAt = call.now;
      return call.json(200, { '@odata.context': call.odataContext('Edm.Boolean'), value: true });
    },
  );
}
