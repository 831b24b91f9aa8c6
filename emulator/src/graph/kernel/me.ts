// /me names the signed-in user, so it needs a delegated token (users, mailboxSettings and OneDrive routes).
import type { GraphCaller } from './auth';
import { GraphError } from './errors';

/** Graph's answer to /me with an app-only token: 400 BadRequest. */
export function requireDelegatedCaller(caller: GraphCaller): void {
  if (caller.kind === 'app')
    throw new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
}
