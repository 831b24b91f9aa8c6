// Emulator-only admin endpoints for what an administrator does in the Entra portal: app registrations and their
// certificates and secrets, admin consent without a browser, directory roles, revoking a user's sessions, and the
// sign-in automation settings. Documented in emulator/docs/identity.md.
import { randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse, Router } from '../http/router';
import { jsonBody } from '../http/serve';
import { clientApp, ensureServicePrincipal, grantAppPermissions, grantDelegated } from '../identity/consent';
import { identityStore } from '../identity/store';
import { DIRECTORY_ROLES, type Application, type ResourceName, type Tenant } from '../state/model';
import { keyCredentialFromCertificate, type SeedPermissions } from '../state/seed';
import { bad, notFound } from './routes';

const RESOURCES: ResourceName[] = ['graph', 'exchange', 'keyvault', 'storage', 'servicebus'];

type Body = Record<string, unknown>;

function body(req: EmulatorRequest): Body {
  const b = jsonBody(req);
  if (b === undefined) return {};
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw new SyntaxError('the body must be a JSON object');
  return b as Body;
}

function permissions(p: unknown, field: string): { resource: ResourceName; permission: string }[] {
  if (p === undefined) return [];
  if (typeof p !== 'object' || p === null)
    throw new TypeError(`${field} must be an object of resource → permission names`);
  const out: { resource: ResourceName; permission: string }[] = [];
  for (const [resource, list] of Object.entries(p as SeedPermissions)) {
    if (!RESOURCES.includes(resource as ResourceName))
      throw new TypeError(`${field}: unknown resource "${resource}" (known: ${RESOURCES.join(', ')})`);
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string'))
      throw new TypeError(`${field}.${resource} must be an array of names`);
    for (const permission of list as string[]) out.push({ resource: resource as ResourceName, permission });
  }
  return out;
}

function publicApp(app: Application) {
  return {
    id: app.id,
    appId: app.appId,
    displayName: app.displayName,
    signInAudience: app.signInAudience,
    redirectUris: app.redirectUris,
    requiredResourceAccess: app.requiredResourceAccess,
    keyCredentials: app.keyCredentials.map(({ certificateDer: _der, ...k }) => k),
    passwordCredentials: app.passwordCredentials.map(({ secret, ...p }) => ({
      ...p,
      hint: secret.slice(0, 3),
    })),
  };
}

function roleId(role: string): string | undefined {
  const byName = (DIRECTORY_ROLES as Record<string, string>)[role];
  if (byName) return byName;
  return Object.values(DIRECTORY_ROLES).includes(role as never) ? role : undefined;
}

/** A principal by UPN, user id, service principal id or app id. */
function principalId(tenant: Tenant, ref: string): string | undefined {
  const lower = ref.toLowerCase();
  for (const u of tenant.users.values())
    if (u.id === ref || String(u.properties.userPrincipalName ?? '').toLowerCase() === lower) return u.id;
  for (const sp of tenant.servicePrincipals.values()) if (sp.id === ref || sp.appId === ref) return sp.id;
  return undefined;
}

function attempt(fn: () => EmulatorResponse): EmulatorResponse {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TypeError || e instanceof SyntaxError) return bad(e.message);
    if (e instanceof Error && /certificate|PEM|DER|asn1|header too long/i.test(e.message))
      return bad(`not a certificate: ${e.message}`);
    throw e;
  }
}

export function registerIdentityAdminRoutes(router: Router, ctx: EmulatorContext): void {
  const { state } = ctx;
  const withTenant =
    (fn: (req: EmulatorRequest, tenant: Tenant) => EmulatorResponse) => (req: EmulatorRequest) => {
      const tenant = state.tenant(req.params.tenant!);
      return tenant ? attempt(() => fn(req, tenant)) : notFound(`tenant ${req.params.tenant}`);
    };
  const withApp = (fn: (req: EmulatorRequest, tenant: Tenant, app: Application) => EmulatorResponse) =>
    withTenant((req, tenant) => {
      const app = tenant.applications.get(req.params.appId!);
      return app ? fn(req, tenant, app) : notFound(`application ${req.params.appId} in tenant ${tenant.id}`);
    });

  // App registrations.
  router.add(
    'POST',
    '/_emulator/tenants/{tenant}/applications',
    withTenant((req, tenant) => {
      const b = body(req);
      if (typeof b.displayName !== 'string' || !b.displayName) throw new TypeError('displayName is required');
      const appId = typeof b.appId === 'string' ? b.appId : randomUUID();
      if (state.application(appId))
        return { status: 409, body: { error: 'conflict', message: `application ${appId} already exists` } };
      const required = (b.requiredPermissions ?? {}) as { application?: unknown; delegated?: unknown };
      const app: Application = {
        id: randomUUID(),
        appId,
        displayName: b.displayName,
        signInAudience: b.multiTenant === true ? 'AzureADMultipleOrgs' : 'AzureADMyOrg',
        redirectUris: stringList(b.redirectUris, 'redirectUris'),
        keyCredentials: [],
        passwordCredentials: [],
        requiredResourceAccess: requiredAccess(
          permissions(required.application, 'requiredPermissions.application'),
          permissions(required.delegated, 'requiredPermissions.delegated'),
        ),
      };
      tenant.applications.set(appId, app);
      // The portal creates the app's service principal in its home tenant with the registration.
      const sp = ensureServicePrincipal(tenant, app, tenant);
      return { status: 201, body: { ...publicApp(app), servicePrincipalId: sp.id } };
    }),
  );
  router.add(
    'GET',
    '/_emulator/tenants/{tenant}/applications/{appId}',
    withApp((_req, _t, app) => ({ status: 200, body: publicApp(app) })),
  );
  router.add(
    'PATCH',
    '/_emulator/tenants/{tenant}/applications/{appId}',
    withApp((req, _t, app) => {
      const b = body(req);
      if (b.displayName !== undefined) app.displayName = String(b.displayName);
      if (b.multiTenant !== undefined)
        app.signInAudience = b.multiTenant === true ? 'AzureADMultipleOrgs' : 'AzureADMyOrg';
      if (b.redirectUris !== undefined) app.redirectUris = stringList(b.redirectUris, 'redirectUris');
      if (b.requiredPermissions !== undefined) {
        const required = b.requiredPermissions as { application?: unknown; delegated?: unknown };
        app.requiredResourceAccess = requiredAccess(
          permissions(required.application, 'requiredPermissions.application'),
          permissions(required.delegated, 'requiredPermissions.delegated'),
        );
      }
      return { status: 200, body: publicApp(app) };
    }),
  );

  // Certificates and secrets.
  router.add(
    'POST',
    '/_emulator/tenants/{tenant}/applications/{appId}/certificates',
    withApp((req, _t, app) => {
      const b = body(req);
      const cert = typeof b.pem === 'string' ? b.pem : typeof b.der === 'string' ? b.der : undefined;
      if (!cert) throw new TypeError('give the certificate as "pem" (PEM text) or "der" (base64 DER)');
      const credential = keyCredentialFromCertificate(
        cert,
        typeof b.displayName === 'string' ? b.displayName : undefined,
      );
      if (app.keyCredentials.some((k) => k.x5tS256 === credential.x5tS256))
        return { status: 409, body: { error: 'conflict', message: 'this certificate is already uploaded' } };
      app.keyCredentials.push(credential);
      const { certificateDer: _der, ...shown } = credential;
      return { status: 201, body: shown };
    }),
  );
  router.add(
    'DELETE',
    '/_emulator/tenants/{tenant}/applications/{appId}/certificates/{keyId}',
    withApp((req, _t, app) => {
      const i = app.keyCredentials.findIndex((k) => k.keyId === req.params.keyId);
      if (i < 0) return notFound(`certificate ${req.params.keyId}`);
      app.keyCredentials.splice(i, 1);
      return { status: 204 };
    }),
  );
  router.add(
    'POST',
    '/_emulator/tenants/{tenant}/applications/{appId}/secrets',
    withApp((req, _t, app) => {
      const b = body(req);
      const now = state.clock.now();
      const days = typeof b.expiresInDays === 'number' ? b.expiresInDays : 180;
      const secret = typeof b.value === 'string' && b.value ? b.value : randomBytes(30).toString('base64url');
      const credential = {
        keyId: randomUUID(),
        secret,
        displayName: typeof b.displayName === 'string' ? b.displayName : undefined,
        startDateTime: now,
        endDateTime: now + days * 86_400_000,
      };
      app.passwordCredentials.push(credential);
      // Like the portal, the secret text is shown once, at creation.
      return {
        status: 201,
        body: {
          keyId: credential.keyId,
          secretText: secret,
          displayName: credential.displayName,
          startDateTime: new Date(now).toISOString(),
          endDateTime: new Date(credential.endDateTime).toISOString(),
        },
      };
    }),
  );
  router.add(
    'DELETE',
    '/_emulator/tenants/{tenant}/applications/{appId}/secrets/{keyId}',
    withApp((req, _t, app) => {
      const i = app.passwordCredentials.findIndex((k) => k.keyId === req.params.keyId);
      if (i < 0) return notFound(`secret ${req.params.keyId}`);
      app.passwordCredentials.splice(i, 1);
      return { status: 204 };
    }),
  );

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

  // Directory roles.
  router.add(
    'POST',
    '/_emulator/tenants/{tenant}/roleAssignments',
    withTenant((req, tenant) => {
      const b = body(req);
      const role = roleId(String(b.role ?? ''));
      if (!role)
        throw new TypeError(
          `role must be one of: ${Object.keys(DIRECTORY_ROLES).join(', ')} (or a template id)`,
        );
      const principal = principalId(tenant, String(b.principal ?? ''));
      if (!principal) return notFound(`principal ${String(b.principal)}`);
      const existing = tenant.roleAssignments.find(
        (r) => r.principalId === principal && r.roleDefinitionId === role,
      );
      if (existing) return { status: 200, body: existing };
      const assignment = {
        id: randomUUID(),
        principalId: principal,
        roleDefinitionId: role,
        directoryScopeId: '/',
      };
      tenant.roleAssignments.push(assignment);
      return { status: 201, body: assignment };
    }),
  );
  router.add(
    'DELETE',
    '/_emulator/tenants/{tenant}/roleAssignments/{id}',
    withTenant((req, tenant) => {
      const i = tenant.roleAssignments.findIndex((r) => r.id === req.params.id);
      if (i < 0) return notFound(`role assignment ${req.params.id}`);
      tenant.roleAssignments.splice(i, 1);
      return { status: 204 };
    }),
  );

  // Sessions.
  router.add(
    'POST',
    '/_emulator/tenants/{tenant}/users/{user}/revokeSignInSessions',
    withTenant((req, tenant) => {
      const id = principalId(tenant, req.params.user!);
      const user = id ? tenant.users.get(id) : undefined;
      if (!user) return notFound(`user ${req.params.user}`);
      user.signInSessionsValidFrom = state.clock.now();
      return {
        status: 200,
        body: { id: user.id, signInSessionsValidFrom: new Date(user.signInSessionsValidFrom).toISOString() },
      };
    }),
  );

  // Automation settings of the sign-in page.
  const settings = identityStore(state).settings;
  router.add('GET', '/_emulator/identity/settings', () => ({ status: 200, body: settings }));
  router.add('PATCH', '/_emulator/identity/settings', (req) =>
    attempt(() => {
      const b = body(req);
      for (const key of Object.keys(b)) {
        if (key !== 'autoConsent' && key !== 'signInWithLoginHint')
          throw new TypeError(`unknown setting "${key}" (known: autoConsent, signInWithLoginHint)`);
        if (typeof b[key] !== 'boolean') throw new TypeError(`${key} must be true or false`);
        settings[key] = b[key];
      }
      return { status: 200, body: settings };
    }),
  );
}

function stringList(v: unknown, field: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new TypeError(`${field} must be an array of strings`);
  return v as string[];
}

function requiredAccess(
  app: { resource: ResourceName; permission: string }[],
  delegated: { resource: ResourceName; permission: string }[],
): Application['requiredResourceAccess'] {
  return RESOURCES.map((resource) => ({
    resource,
    application: app.filter((p) => p.resource === resource).map((p) => p.permission),
    delegated: delegated.filter((p) => p.resource === resource).map((p) => p.permission),
  })).filter((r) => r.application.length + r.delegated.length > 0);
}

function consentView(tenant: Tenant, appId: string) {
  const sp = [...tenant.servicePrincipals.values()].find((s) => s.appId === appId);
  return {
    servicePrincipalId: sp?.id ?? null,
    appRoles: sp?.appRoles ?? [],
    delegatedGrants: tenant.delegatedGrants.filter((g) => g.clientAppId === appId),
  };
}
