// The browser side of sign-in: /{tenant}/oauth2/v2.0/authorize and the admin-consent endpoints, the sign-in
// form, the consent page and the redirects back to the app. Requests whose client or redirect URI cannot be
// trusted get an error page, never a redirect (no open redirect).
import { createHash, randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse } from '../http/router';
import { formBody } from '../http/serve';
import type { Application, DirectoryUser, ResourceName, Tenant } from '../state/model';
import { RESOURCE_URIS } from '../tokens/resources';
import {
  canGrantAdminConsent,
  clientApp,
  ensureServicePrincipal,
  grantAppPermissions,
  grantDelegated,
  grantedScopes,
  needsAdminConsent,
} from './consent';
import { AadError, correlationIdOf, entraTimestamp } from './errors';
import {
  adminApprovalPage,
  consentPage,
  errorPage,
  formPostPage,
  signInPage,
  type PermissionLine,
} from './pages';
import { expandDelegated, parseScopes } from './scopes';
import { identityStore, opaqueToken, type Interaction } from './store';
import { isGuid, resolveTenantSegment, tenantOfUpn } from './tenants';

const CODE_LIFETIME_MS = 10 * 60_000;
const INTERACTION_LIFETIME_MS = 60 * 60_000;
const SESSION_COOKIE = 'ESTSAUTH';

/** A failure shown as a page (untrusted client or redirect URI). */
class PageError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A failure sent back to the app's (registered) redirect URI. */
class RedirectError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(description);
  }
}

function pageFor(ctx: EmulatorContext, req: EmulatorRequest, e: PageError): EmulatorResponse {
  return errorPage(e.code, e.message, correlationIdOf(req), entraTimestamp(ctx.state.clock.now()));
}

function paramsOf(req: EmulatorRequest): Record<string, string> {
  const source = req.method === 'POST' ? formBody(req) : req.query;
  const out: Record<string, string> = {};
  for (const [k, v] of source) out[k] = v;
  // The request log keeps the query string: the automation password must not land there.
  if (req.query.has('emulator_password')) req.query.set('emulator_password', 'REDACTED');
  return out;
}

/** Redirect URIs match exactly; for http loopback URIs the port is ignored, as Entra documents. */
export function redirectRegistered(app: Application, uri: string): boolean {
  if (app.redirectUris.includes(uri)) return true;
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) return false;
  return app.redirectUris.some((r) => {
    try {
      const reg = new URL(r);
      return (
        reg.protocol === 'http:' &&
        reg.hostname === u.hostname &&
        reg.pathname === u.pathname &&
        reg.search === u.search
      );
    } catch {
      return false;
    }
  });
}

/** Validates what must be right before anything can be sent to the redirect URI. */
function trustedClient(ctx: EmulatorContext, params: Record<string, string>, segment: string): Application {
  try {
    resolveTenantSegment(ctx, segment);
  } catch (e) {
    if (e instanceof AadError) throw new PageError(e.aadsts, e.message.replace(/^AADSTS\d+: /, ''));
    throw e;
  }
  const clientId = params.client_id;
  if (!clientId)
    throw new PageError(900144, "The request body must contain the following parameter: 'client_id'.");
  const found = ctx.state.application(clientId);
  if (!found)
    throw new PageError(
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${segment}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  if (
    ['common', 'organizations'].includes(segment.toLowerCase()) &&
    found.app.signInAudience === 'AzureADMyOrg'
  )
    throw new PageError(
      50194,
      `Application '${clientId}'(${found.app.displayName}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications. Use a tenant-specific endpoint or configure the application to be multi-tenant.`,
    );
  const redirectUri = params.redirect_uri;
  if (!redirectUri)
    throw new PageError(900144, "The request body must contain the following parameter: 'redirect_uri'.");
  if (!redirectRegistered(found.app, redirectUri))
    throw new PageError(
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    );
  return found.app;
}

function redirect(
  params: Record<string, string>,
  fields: Record<string, string>,
  headers: Record<string, string | string[]> = {},
): EmulatorResponse {
  const all = { ...fields };
  if (params.state !== undefined) all.state = params.state;
  const mode = params.response_mode || 'query';
  if (mode === 'form_post') return formPostPage(params.redirect_uri!, all, headers);
  const url = new URL(params.redirect_uri!);
  if (mode === 'fragment') url.hash = new URLSearchParams(all).toString();
  else for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
  return {
    status: 302,
    headers: { ...headers, Location: url.toString(), 'Cache-Control': 'no-store, no-cache' },
  };
}

function errorRedirect(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  params: Record<string, string>,
  e: RedirectError,
): EmulatorResponse {
  const traceId = randomUUID();
  const description = `${e.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationIdOf(req)}\r\nTimestamp: ${entraTimestamp(ctx.state.clock.now())}`;
  return redirect(params, { ...e.extra, error: e.error, error_description: description });
}

// ---------------------------------------------------------------------------------------------------------------

/** GET or POST /{tenant}/oauth2/v2.0/authorize */
export function authorize(ctx: EmulatorContext, req: EmulatorRequest): EmulatorResponse {
  const params = paramsOf(req);
  delete params.emulator_adminconsent;
  const segment = req.params.tenant!;
  try {
    trustedClient(ctx, params, segment);
  } catch (e) {
    if (e instanceof PageError) return pageFor(ctx, req, e);
    throw e;
  }
  try {
    validateAuthorizeRequest(ctx, params, segment);
    return start(ctx, req, 'authorize', segment, params);
  } catch (e) {
    if (e instanceof RedirectError) return errorRedirect(ctx, req, params, e);
    if (e instanceof PageError) return pageFor(ctx, req, e);
    throw e;
  }
}

function validateAuthorizeRequest(
  ctx: EmulatorContext,
  params: Record<string, string>,
  segment: string,
): void {
  if (params.response_type !== 'code')
    throw new RedirectError(
      'unsupported_response_type',
      `AADSTS70005: response_type '${params.response_type ?? ''}' is not enabled for the application.`,
    );
  const mode = params.response_mode ?? 'query';
  if (!['query', 'fragment', 'form_post'].includes(mode))
    throw new RedirectError(
      'invalid_request',
      `AADSTS70007: The application returned an unsupported value '${mode}' of 'response_mode' when requesting a token.`,
    );
  if (!params.scope)
    throw new RedirectError(
      'invalid_request',
      "AADSTS900144: The request body must contain the following parameter: 'scope'.",
    );
  const target = resolveTenantSegment(ctx, segment);
  try {
    parseScopes(params.scope, target.kind === 'tenant' ? target.tenant.cloud : 'global', segment);
  } catch (e) {
    if (e instanceof AadError) throw new RedirectError(e.error, e.message);
    throw e;
  }
  if (params.code_challenge !== undefined) {
    const method = params.code_challenge_method ?? 'plain';
    if (!['S256', 'plain'].includes(method) || !/^[A-Za-z0-9._~-]{43,128}$/.test(params.code_challenge))
      throw new RedirectError(
        'invalid_request',
        'AADSTS501491: Invalid size or method of code_challenge parameter.',
      );
  }
  if (
    params.prompt &&
    !['login', 'none', 'consent', 'select_account', 'admin_consent'].includes(params.prompt)
  )
    throw new RedirectError('invalid_request', `AADSTS90023: Invalid prompt value '${params.prompt}'.`);
}

/** GET /{tenant}/v2.0/adminconsent and /{tenant}/adminconsent */
export function adminConsent(ctx: EmulatorContext, req: EmulatorRequest, version: 1 | 2): EmulatorResponse {
  const params: Record<string, string> = {
    ...paramsOf(req),
    response_mode: 'query',
    emulator_adminconsent: String(version),
  };
  const segment = req.params.tenant!;
  try {
    if (segment.toLowerCase() === 'common' && version === 2)
      throw new PageError(
        90130,
        "Application does not support the 'common' endpoint for admin consent. Use the tenant id or 'organizations'.",
      );
    trustedClient(ctx, params, segment);
  } catch (e) {
    if (e instanceof PageError) return pageFor(ctx, req, e);
    throw e;
  }
  if (version === 2 && !params.scope)
    return errorRedirect(
      ctx,
      req,
      params,
      new RedirectError(
        'invalid_request',
        "AADSTS900144: The request body must contain the following parameter: 'scope'.",
      ),
    );
  return start(ctx, req, 'adminconsent', segment, params);
}

// ---------------------------------------------------------------------------------------------------------------

function cookie(req: EmulatorRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function start(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  kind: Interaction['kind'],
  segment: string,
  params: Record<string, string>,
): EmulatorResponse {
  const store = identityStore(ctx.state);
  const now = ctx.state.clock.now();
  for (const [id, i] of store.interactions)
    if (i.createdAt + INTERACTION_LIFETIME_MS < now) store.interactions.delete(id);
  const interaction: Interaction = { id: randomUUID(), kind, tenantSegment: segment, params, createdAt: now };
  store.interactions.set(interaction.id, interaction);

  const hint = params.login_hint;
  if (hint && (params.emulator_password !== undefined || store.settings.signInWithLoginHint)) {
    const result = checkCredentials(
      ctx,
      segment,
      hint,
      params.emulator_password,
      params.emulator_password === undefined,
    );
    if (typeof result === 'string') return signIn(ctx, interaction, hint, result);
    return afterSignIn(ctx, req, interaction, result.tenant, result.user, now, true);
  }
  const session = store.sessions.get(cookie(req, SESSION_COOKIE) ?? '');
  const forceLogin = params.prompt === 'login' || params.prompt === 'select_account';
  if (session && !forceLogin) {
    const tenant = ctx.state.tenant(session.tenantId);
    const user = tenant?.users.get(session.userId);
    const target = resolveTenantSegment(ctx, segment);
    const sameTenant = target.kind === 'multi' || target.tenant.id === session.tenantId;
    if (
      tenant &&
      user &&
      sameTenant &&
      user.signInSessionsValidFrom <= session.authTime &&
      user.properties.accountEnabled !== false
    )
      return afterSignIn(ctx, req, interaction, tenant, user, session.authTime, false);
  }
  if (params.prompt === 'none')
    return errorRedirect(
      ctx,
      req,
      params,
      new RedirectError(
        'login_required',
        'AADSTS50058: A silent sign-in request was sent but no user is signed in.',
      ),
    );
  return signIn(ctx, interaction, hint);
}

function signIn(
  ctx: EmulatorContext,
  interaction: Interaction,
  loginHint?: string,
  error?: string,
): EmulatorResponse {
  const app = ctx.state.application(interaction.params.client_id!)!.app;
  return signInPage({
    action: `/${encodeURIComponent(interaction.tenantSegment)}/login`,
    interaction: interaction.id,
    appName: app.displayName,
    loginHint,
    error,
  });
}

/** The user for a sign-in name and password, or the message the sign-in page shows. */
function checkCredentials(
  ctx: EmulatorContext,
  segment: string,
  login: string,
  password: string | undefined,
  skipPassword: boolean,
): { tenant: Tenant; user: DirectoryUser } | string {
  const target = resolveTenantSegment(ctx, segment);
  const tenant = target.kind === 'tenant' ? target.tenant : tenantOfUpn(ctx, login);
  const lower = login.toLowerCase();
  const user = tenant
    ? [...tenant.users.values()].find(
        (u) => String(u.properties.userPrincipalName ?? '').toLowerCase() === lower,
      )
    : undefined;
  if (!tenant || !user)
    return `AADSTS50034: The user account ${login} does not exist in the ${tenant?.id ?? segment} directory. To sign into this application, the account must be added to the directory.`;
  if (user.properties.accountEnabled === false)
    return 'AADSTS50057: The user account is disabled. The account has been disabled by an administrator.';
  if (!skipPassword && (user.password === undefined || user.password !== password))
    return 'AADSTS50126: Error validating credentials due to invalid username or password.';
  return { tenant, user };
}

/** POST /{tenant}/login — the sign-in form. */
export function loginForm(ctx: EmulatorContext, req: EmulatorRequest): EmulatorResponse {
  const form = formBody(req);
  const interaction = identityStore(ctx.state).interactions.get(form.get('ctx') ?? '');
  if (!interaction)
    return pageFor(
      ctx,
      req,
      new PageError(
        50196,
        'The sign-in session has expired or is unknown. Start the sign-in again from the application.',
      ),
    );
  const login = form.get('loginfmt') ?? '';
  const result = checkCredentials(ctx, interaction.tenantSegment, login, form.get('passwd') ?? '', false);
  if (typeof result === 'string') return signIn(ctx, interaction, login, result);
  return afterSignIn(ctx, req, interaction, result.tenant, result.user, ctx.state.clock.now(), true);
}

// ---------------------------------------------------------------------------------------------------------------

interface Requested {
  app: Application;
  homeTenant: Tenant;
  /** Delegated permissions per resource, ".default" expanded. */
  delegated: Map<ResourceName, string[]>;
  /** Application permissions (admin consent with .default or the v1 endpoint). */
  application: { resource: ResourceName; permission: string }[];
  firstResource?: ResourceName;
  oidc: string[];
}

function requested(ctx: EmulatorContext, interaction: Interaction, tenant: Tenant): Requested {
  const found = ctx.state.application(interaction.params.client_id!)!;
  const { app } = found;
  const delegated = new Map<ResourceName, string[]>();
  const application: Requested['application'] = [];
  const adminV = interaction.params.emulator_adminconsent;
  const parsed = parseScopes(interaction.params.scope ?? '', tenant.cloud, tenant.id);
  const wholeApp =
    adminV === '1' || [...parsed.byResource.values()].some((list) => list.includes('.default'));
  if (interaction.kind === 'adminconsent' && wholeApp) {
    for (const r of app.requiredResourceAccess) {
      r.application.forEach((permission) => application.push({ resource: r.resource, permission }));
      const d = r.delegated.filter(
        (s) => !['openid', 'profile', 'email', 'offline_access'].includes(s.toLowerCase()),
      );
      if (d.length > 0) delegated.set(r.resource, d);
    }
  }
  for (const [resource, list] of parsed.byResource) {
    const expanded = expandDelegated(app, resource, list);
    const merged = new Set([...(delegated.get(resource) ?? []), ...expanded]);
    if (merged.size > 0) delegated.set(resource, [...merged]);
  }
  return {
    app,
    homeTenant: found.homeTenant,
    delegated,
    application,
    firstResource: [...parsed.byResource.keys()][0],
    oidc: parsed.oidc,
  };
}

function permissionLines(
  tenant: Tenant,
  want: Requested,
  missingOnly: Map<ResourceName, string[]>,
): PermissionLine[] {
  const lines: PermissionLine[] = [];
  for (const p of want.application)
    lines.push({
      resource: RESOURCE_URIS[p.resource][tenant.cloud],
      permission: p.permission,
      kind: 'application',
      adminOnly: true,
    });
  for (const [resource, list] of missingOnly)
    for (const permission of list)
      lines.push({
        resource: RESOURCE_URIS[resource][tenant.cloud],
        permission,
        kind: 'delegated',
        adminOnly: needsAdminConsent(resource, permission),
      });
  return lines;
}

function missingDelegated(
  tenant: Tenant,
  want: Requested,
  userId: string,
  all: boolean,
): Map<ResourceName, string[]> {
  const out = new Map<ResourceName, string[]>();
  for (const [resource, list] of want.delegated) {
    const have = all ? [] : grantedScopes(tenant, want.app.appId, resource, userId);
    const missing = list.filter((p) => !have.includes(p));
    if (missing.length > 0) out.set(resource, missing);
  }
  return out;
}

function afterSignIn(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  interaction: Interaction,
  tenant: Tenant,
  user: DirectoryUser,
  authTime: number,
  freshSignIn: boolean,
): EmulatorResponse {
  const store = identityStore(ctx.state);
  interaction.tenantId = tenant.id;
  interaction.userId = user.id;
  interaction.authTime = authTime;
  const headers: Record<string, string | string[]> = {};
  if (freshSignIn) {
    const sessionId = opaqueToken('s');
    store.sessions.set(sessionId, { tenantId: tenant.id, userId: user.id, authTime });
    headers['Set-Cookie'] = `${SESSION_COOKIE}=${sessionId}; Path=/; Secure; HttpOnly; SameSite=None`;
  }
  const { params } = interaction;
  try {
    if (!clientApp(ctx, tenant, params.client_id!))
      throw new PageError(
        700016,
        `Application with identifier '${params.client_id}' was not found in the directory '${tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    let want: Requested;
    try {
      want = requested(ctx, interaction, tenant);
    } catch (e) {
      if (e instanceof AadError) throw new RedirectError(e.error, e.message);
      throw e;
    }
    const isAdmin = canGrantAdminConsent(tenant, user.id);
    const action = `/${encodeURIComponent(interaction.tenantSegment)}/consent`;
    const upn = String(user.properties.userPrincipalName);
    if (interaction.kind === 'adminconsent') {
      const lines = permissionLines(tenant, want, want.delegated);
      if (!isAdmin)
        return withHeaders(
          adminApprovalPage({
            action,
            interaction: interaction.id,
            appName: want.app.displayName,
            user: upn,
            permissions: lines.map((l) => ({ ...l, adminOnly: true })),
          }),
          headers,
        );
      if (store.settings.autoConsent)
        return withHeaders(finishConsent(ctx, interaction, tenant, user, want, true), headers);
      return withHeaders(
        consentPage({
          action,
          interaction: interaction.id,
          appName: want.app.displayName,
          publisherTenant: want.homeTenant.displayName,
          user: upn,
          permissions: lines,
          orgOption: 'always',
        }),
        headers,
      );
    }
    const forceConsent = params.prompt === 'consent' || params.prompt === 'admin_consent';
    const missing = missingDelegated(tenant, want, user.id, forceConsent);
    if (
      !ctx.state.servicePrincipalByAppId(tenant, want.app.appId) &&
      missing.size === 0 &&
      want.delegated.size === 0
    )
      missing.set('graph', ['User.Read']);
    if (missing.size === 0) return withHeaders(issueCode(ctx, interaction, tenant, user, want), headers);
    const lines = permissionLines(tenant, { ...want, application: [] }, missing);
    const adminOnly = lines.some((l) => l.adminOnly);
    if (params.prompt === 'none')
      throw new RedirectError(
        'consent_required',
        `AADSTS65001: The user or administrator has not consented to use the application with ID '${want.app.appId}' named '${want.app.displayName}'. Send an interactive authorization request for this user and resource.`,
        { suberror: 'consent_required' },
      );
    if (adminOnly && !isAdmin)
      return withHeaders(
        adminApprovalPage({
          action,
          interaction: interaction.id,
          appName: want.app.displayName,
          user: upn,
          permissions: lines,
        }),
        headers,
      );
    if (store.settings.autoConsent)
      return withHeaders(finishConsent(ctx, interaction, tenant, user, want, adminOnly), headers);
    return withHeaders(
      consentPage({
        action,
        interaction: interaction.id,
        appName: want.app.displayName,
        publisherTenant: want.homeTenant.displayName,
        user: upn,
        permissions: lines,
        orgOption: isAdmin ? 'optional' : 'none',
      }),
      headers,
    );
  } catch (e) {
    if (e instanceof RedirectError) return withHeaders(errorRedirect(ctx, req, params, e), headers);
    if (e instanceof PageError) return withHeaders(pageFor(ctx, req, e), headers);
    throw e;
  }
}

function withHeaders(r: EmulatorResponse, headers: Record<string, string | string[]>): EmulatorResponse {
  return { ...r, headers: { ...(r.headers ?? {}), ...headers } };
}

/** POST /{tenant}/consent — Accept or Cancel on the consent and admin-approval pages. */
export function consentForm(ctx: EmulatorContext, req: EmulatorRequest): EmulatorResponse {
  const form = formBody(req);
  const store = identityStore(ctx.state);
  const interaction = store.interactions.get(form.get('ctx') ?? '');
  if (!interaction?.userId || !interaction.tenantId)
    return pageFor(
      ctx,
      req,
      new PageError(
        50196,
        'The sign-in session has expired or is unknown. Start the sign-in again from the application.',
      ),
    );
  store.interactions.delete(interaction.id);
  const tenant = ctx.state.tenant(interaction.tenantId)!;
  const user = tenant.users.get(interaction.userId)!;
  const { params } = interaction;
  const adminV = params.emulator_adminconsent;
  const isAdmin = canGrantAdminConsent(tenant, user.id);
  const want = requested(ctx, interaction, tenant);
  if (form.get('decision') !== 'accept') {
    if (adminV === '1')
      return redirect(params, {
        error: 'permission_denied',
        error_description: 'The admin canceled the request',
      });
    if (adminV === '2' && !isAdmin)
      return errorRedirect(
        ctx,
        req,
        params,
        new RedirectError(
          'consent_required',
          `AADSTS90094: Admin consent is required for the permissions requested by this application. An administrator of ${tenant.displayName} must grant them.`,
          { admin_consent: 'True' },
        ),
      );
    return errorRedirect(
      ctx,
      req,
      params,
      new RedirectError('access_denied', 'AADSTS65004: User declined to consent to access the app.', {
        ...(adminV ? { admin_consent: 'True' } : {}),
        error_subcode: 'cancel',
      }),
    );
  }
  const forOrg = interaction.kind === 'adminconsent' || form.get('consent_org') === 'true';
  if ((forOrg || interaction.kind === 'adminconsent') && !isAdmin)
    return pageFor(
      ctx,
      req,
      new PageError(90094, 'Only an administrator can grant consent on behalf of the organization.'),
    );
  const missing = missingDelegated(tenant, want, user.id, false);
  if (!forOrg && [...missing].some(([r, list]) => list.some((p) => needsAdminConsent(r, p))) && !isAdmin)
    return pageFor(
      ctx,
      req,
      new PageError(90094, 'Admin consent is required for the permissions requested by this application.'),
    );
  return finishConsent(ctx, interaction, tenant, user, want, forOrg);
}

function finishConsent(
  ctx: EmulatorContext,
  interaction: Interaction,
  tenant: Tenant,
  user: DirectoryUser,
  want: Requested,
  forOrg: boolean,
): EmulatorResponse {
  const sp = ensureServicePrincipal(tenant, want.app, want.homeTenant);
  for (const [resource, list] of want.delegated)
    grantDelegated(tenant, want.app.appId, resource, list, forOrg ? undefined : user.id);
  const { params } = interaction;
  ctx.state.log.record({
    service: 'login',
    method: 'CONSENT',
    path: `/${tenant.id}/consent`,
    query: '',
    status: 200,
    durationMs: 0,
    tenantId: tenant.id,
    appId: want.app.appId,
    detail: forOrg ? 'AllPrincipals' : `Principal ${user.id}`,
  });
  if (interaction.kind === 'adminconsent') {
    grantAppPermissions(sp, want.application);
    identityStore(ctx.state).interactions.delete(interaction.id);
    if (params.emulator_adminconsent === '1')
      return redirect(params, { tenant: tenant.id, admin_consent: 'True' });
    return redirect(params, { admin_consent: 'True', tenant: tenant.id, scope: params.scope ?? '' });
  }
  return issueCode(ctx, interaction, tenant, user, want);
}

function issueCode(
  ctx: EmulatorContext,
  interaction: Interaction,
  tenant: Tenant,
  user: DirectoryUser,
  want: Requested,
): EmulatorResponse {
  const store = identityStore(ctx.state);
  store.interactions.delete(interaction.id);
  const { params } = interaction;
  const code = opaqueToken('1.AQ');
  const now = ctx.state.clock.now();
  store.codes.set(code, {
    tenantId: tenant.id,
    clientAppId: want.app.appId,
    redirectUri: params.redirect_uri!,
    userId: user.id,
    scopes: [...want.oidc],
    resource: want.firstResource,
    codeChallenge: params.code_challenge,
    codeChallengeMethod: params.code_challenge
      ? params.code_challenge_method === 'S256'
        ? 'S256'
        : 'plain'
      : undefined,
    nonce: params.nonce,
    authTime: interaction.authTime ?? now,
    expiresAt: now + CODE_LIFETIME_MS,
    redeemed: false,
  });
  for (const [k, c] of store.codes) if (c.expiresAt + CODE_LIFETIME_MS < now) store.codes.delete(k);
  const sessionState = createHash('sha256')
    .update(`${user.id}|${interaction.authTime ?? now}`)
    .digest('hex')
    .slice(0, 32);
  const fields: Record<string, string> = {
    code,
    session_state: isGuid(sessionState) ? sessionState : formatGuid(sessionState),
  };
  return redirect(params, fields);
}

function formatGuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** GET /{tenant}/oauth2/v2.0/logout — ends the browser session; redirects only to a registered URI. */
export function logout(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  signedOut: (h: Record<string, string>) => EmulatorResponse,
): EmulatorResponse {
  const store = identityStore(ctx.state);
  const id = cookie(req, SESSION_COOKIE);
  if (id) store.sessions.delete(id);
  const headers = { 'Set-Cookie': `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=0` };
  const target = req.query.get('post_logout_redirect_uri');
  if (target) {
    const registered = [...ctx.state.tenants.values()].some((t) =>
      [...t.applications.values()].some((a) => redirectRegistered(a, target)),
    );
    if (registered) return { status: 302, headers: { ...headers, Location: target } };
  }
  return signedOut(headers);
}
