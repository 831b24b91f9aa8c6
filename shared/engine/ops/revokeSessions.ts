// revokeSessions: POST /users/{id}/revokeSignInSessions, after the account is disabled.
import { objectIdFor, APPLIED, type OpModule } from '../apply/context';
import type { Reason, Target } from '../plan/model';
import { makeOp } from './build';

export function planRevokeSessions(target: Target, reason: Reason, dependsOn: string[]) {
  return makeOp('revokeSessions', { target, reason, params: {}, dependsOn });
}

export const revokeSessions: OpModule<'revokeSessions'> = {
  kind: 'revokeSessions',
  async apply(op, ctx) {
    await ctx.directory.revokeSessions(objectIdFor(op, ctx));
    return APPLIED;
  },
};
