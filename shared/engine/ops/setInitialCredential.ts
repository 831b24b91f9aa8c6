// setInitialCredential: a Temporary Access Pass for the new account, kept only as a short-lived vault secret.
import { objectIdFor, APPLIED, type OpModule } from '../apply/context';
import type { CredentialMethod, Target } from '../plan/model';
import { makeOp } from './build';

export function planSetInitialCredential(target: Target, credential: CredentialMethod, dependsOn: string[]) {
  return makeOp('setInitialCredential', {
    target,
    reason: 'initialCredential',
    params: { credential },
    dependsOn,
  });
}

export const setInitialCredential: OpModule<'setInitialCredential'> = {
  kind: 'setInitialCredential',
  async apply(op, ctx) {
    const method = op.params.credential;
    if (method.kind !== 'temporaryAccessPass') return { status: 'skipped' };
    const { pass } = await ctx.directory.createTemporaryAccessPass(
      objectIdFor(op, ctx),
      method.lifetimeMinutes,
    );
    const expires = new Date(ctx.clock.now().getTime() + method.lifetimeMinutes * 60_000);
    const secretName = await ctx.vault.storeInitialCredential(
      op.target.flow,
      op.target.employeeId,
      pass,
      expires,
    );
    return { ...APPLIED, detail: { credentialSecret: secretName } };
  },
};
