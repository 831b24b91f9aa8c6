// What an operation's applier may use. The applier of each op kind lives in ops/<kind>.ts.
import type { WorkerMessageSender } from '../../messaging/sender';
import type { JsonValue, OperationKind, OperationOf } from '../plan/model';
import type { Clock, CredentialVault, Directory, RandomSource } from '../ports';
import type { PendingManagerRepository } from '../repositories';
import { TenureError } from '../errors';

export interface ApplyContext {
  readonly directory: Directory;
  readonly vault: CredentialVault;
  readonly sender: WorkerMessageSender;
  readonly pending: PendingManagerRepository;
  readonly random: RandomSource;
  readonly clock: Clock;
  /** Version of the snapshot being applied (carried by follow-up messages). */
  readonly snapshotVersion: string;
  /** The worker's Entra object id; set by createUser/restoreUser for the operations after them. */
  objectId: string | null;
}

export interface OpOutcome {
  readonly status: 'applied' | 'skipped';
  /** Result details for the timeline (ids, secret names; never secrets). */
  readonly detail?: Readonly<Record<string, JsonValue>>;
}

export interface OpModule<K extends OperationKind> {
  readonly kind: K;
  apply(op: OperationOf<K>, ctx: ApplyContext): Promise<OpOutcome>;
}

/** The object id an operation acts on: its target's, or the one a createUser/restoreUser earlier provided. */
export function objectIdFor(
  op: { target: { objectId: string | null }; id: string; kind: string },
  ctx: ApplyContext,
): string {
  const id = op.target.objectId ?? ctx.objectId;
  if (!id) {
    throw new TenureError('TENURE_PLAN_INVALID', `Operation ${op.id} has no Entra object to act on.`, {
      operationKind: op.kind,
      operationId: op.id,
    });
  }
  return id;
}

export const APPLIED: OpOutcome = { status: 'applied' };
