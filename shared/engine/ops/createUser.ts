// createUser: POST /users with every flow attribute and the chosen naming values; the initial credential is
// generated here, at apply time, sent to Graph and kept only as a short-lived vault secret.
import { APPLIED, type OpModule, type OpOutcome } from '../apply/context';
import type { Attributes, CredentialMethod, Reason, Target } from '../plan/model';
import { makeOp } from './build';
import { generatePassword } from './credential';

/** How long an initial password stays in the vault for the hand-over step. */
export const INITIAL_CREDENTIAL_TTL_MS = 7 * 86_400_000;

export function planCreateUser(
  target: Target,
  attributes: Attributes,
  accountEnabled: boolean,
  credential: CredentialMethod,
  reason: Reason,
) {
  return makeOp('createUser', {
    target,
    reason,
    after: { ...attributes, accountEnabled },
    params: { accountEnabled, credential },
  });
}

export const createUser: OpModule<'createUser'> = {
  kind: 'createUser',
  async apply(op, ctx): Promise<OpOutcome> {
    const password = generatePassword(op.params.credential, ctx.random);
    const { accountEnabled: _enabled, ...attributes } = op.after;
    const { id } = await ctx.directory.createUser(
      { attributes, accountEnabled: op.params.accountEnabled, password },
      op.target.employeeId,
    );
    ctx.objectId = id;
    if (op.params.credential.kind === 'temporaryAccessPass')
      return { status: 'applied', detail: { objectId: id } };
    const expires = new Date(ctx.clock.now().getTime() + INITIAL_CREDENTIAL_TTL_MS);
    const secretName = await ctx.vault.storeInitialCredential(
      op.target.flow,
      op.target.employeeId,
      password,
      expires,
    );
    return { ...APPLIED, detail: { objectId: id, credentialSecret: secretName } };
  },
};
