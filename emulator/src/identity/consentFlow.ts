// After sign-in: which permissions are requested and which are missing, the consent and "Need admin approval"
// pages and their form (POST /{tenant}/consent), recording consent, and issuing the authorization code.
import { createHash } from 'node:crypto';
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
import { AadError } from './errors';
import { errorRedirect, pageFor, PageError, redirect, RedirectError } from './interaction';
import { adminApprovalPage, consentPage, type PermissionLine } from './pages';
import { expandDelegated, parseScopes } from './scopes';
import { SESSION_COOKIE } from './session';
import { identityStore, opaqueToken, type Interaction } from './store';
import { isGuid } from './tenants';

const CODE_LIFETIME_MS = 10 * 60_000;

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

export function afterSignIn(
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
