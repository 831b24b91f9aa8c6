// Signing in: the automation shortcut (login_hint + emulator_password), single sign-on from the browser session
// cookie, prompt=none/login, the sign-in page and its form (POST /{tenant}/login).
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse } from '../http/router';
import { formBody } from '../http/serve';
import type { DirectoryUser, Tenant } from '../state/model';
import { afterSignIn } from './consentFlow';
import { errorRedirect, pageFor, PageError, RedirectError } from './interaction';
import { signInPage } from './pages';
import { cookie, SESSION_COOKIE } from './session';
import { identityStore, type Interaction } from './store';
import { resolveTenantSegment, tenantOfUpn } from './tenants';

const INTERACTION_LIFETIME_MS = 60 * 60_000;

export function start(
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
