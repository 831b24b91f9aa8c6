// GET /{tenant}/oauth2/v2.0/logout: ends the browser session; redirects only to a registered URI.
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse } from '../http/router';
import { redirectRegistered } from './interaction';
import { cookie, SESSION_COOKIE } from './session';
import { identityStore } from './store';

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
