// Consent without a browser (Entra portal: "Grant admin consent"), reading it, and removing it or one permission.
import type { EmulatorContext } from '../../context';
import type { Router } from '../../http/router';
import {
  clientApp,
  ensureServicePrincipal,
  grantAppPermissions,
  grantDelegated,
} from '../../identity/consent';
import { notFound } from '../routes';
import { body, consentView, permissions, principalId, RESOURCES, scoped } from './common';

export function registerConsentRoutes(router: Router, ctx: EmulatorContext): void {
  const { state } = ctx;
  const { withTenant } = scoped(ctx);
  // Consent (what "Grant admin consent" in the portal does).
  router.add(
    'POST',
    '/_emulator/tenants/{tenant}/consents',
    withTenant((req, tenant) => {
      const b = body(req);
      if (typeof b.clientAppId !== 'string') throw new TypeError('clientAppId is required');
      const found = clientApp(ctx, tenant, b.clientAppId);
      if (!found)
        return notFound(
          `application ${b.clientAppId} usable in tenant ${tenant.id} (single-tenant apps are usable only at home)`,
        );
      let principal: string | undefined;
      if (b.principal !== undefined) {
        principal = principalId(tenant, String(b.principal));
        if (!principal || !tenant.users.has(principal)) return notFound(`user ${String(b.principal)}`);
      }
      const app = permissions(b.appPermissions, 'appPermissions');
      const delegated = permissions(b.delegated, 'delegated');
      const sp = ensureServicePrincipal(tenant, found.app, found.homeTenant);
      grantAppPermissions(sp, app);
      for (const resource of RESOURCES) {
        const scopes = delegated.filter((d) => d.resource === resource).map((d) => d.permission);
        if (scopes.length > 0) grantDelegated(tenant, found.app.appId, resource, scopes, principal);
      }
      return { status: 200, body: consentView(tenant, found.app.appId) };
    }),
  );
  router.add(
    'GET',
    '/_emulator/tenants/{tenant}/consents/{appId}',
    withTenant((req, tenant) => ({ status: 200, body: consentView(tenant, req.params.appId!) })),
  );
  router.add(
    'DELETE',
    '/_emulator/tenants/{tenant}/consents/{appId}',
    withTenant((req, tenant) => {
      const appId = req.params.appId!;
      const sp = state.servicePrincipalByAppId(tenant, appId);
      if (sp) sp.appRoles = [];
      tenant.delegatedGrants = tenant.delegatedGrants.filter((g) => g.clientAppId !== appId);
      return { status: 204 };
    }),
  );
  // One permission: ?type=application|delegated (both when absent), for all grants of the app in the tenant.
  router.add(
    'DELETE',
    '/_emulator/tenants/{tenant}/consents/{appId}/{resource}/{permission}',
    withTenant((req, tenant) => {
      const { appId, resource, permission } = req.params as Record<string, string>;
      const type = req.query.get('type');
      if (type && type !== 'application' && type !== 'delegated')
        throw new TypeError('type must be application or delegated');
      let removed = 0;
      if (type !== 'delegated') {
        const sp = state.servicePrincipalByAppId(tenant, appId!);
        if (sp) {
          const before = sp.appRoles.length;
          sp.appRoles = sp.appRoles.filter((r) => !(r.resource === resource && r.permission === permission));
          removed += before - sp.appRoles.length;
        }
      }
      if (type !== 'application')
        for (const g of tenant.delegatedGrants)
          if (g.clientAppId === appId && g.resource === resource && g.scopes.includes(permission!)) {
            g.scopes = g.scopes.filter((s) => s !== permission);
            removed++;
          }
      tenant.delegatedGrants = tenant.delegatedGrants.filter((g) => g.scopes.length > 0);
      return removed > 0
        ? { status: 204 }
        : notFound(`permission ${resource}/${permission} granted to ${appId}`);
    }),
  );
}
