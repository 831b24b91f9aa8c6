// What the playbook's appliers use from the apply context; joined to ApplyContext by declaration merging. A
// connection without the exchange (sharepoint) add-on leaves the port out and the steps fail with a clear reason.
import { TenureError } from '../../errors';
import { objectIdFor, type ApplyContext } from '../../apply/context';
import type { MailboxService, OneDriveService } from '../../../playbook/ports';

export interface PlaybookApplyPorts {
  readonly mailboxes?: MailboxService;
  readonly oneDrive?: OneDriveService;
}

declare module '../../apply/context' {
  interface ApplyContext {
    /** Exchange and OneDrive for the leaver playbook; absent when the connection has neither add-on. */
    readonly playbook?: PlaybookApplyPorts;
  }
}

export function mailboxesOf(ctx: ApplyContext, op: { id: string; kind: string }): MailboxService {
  const m = ctx.playbook?.mailboxes;
  if (!m) {
    throw new TenureError(
      'TENURE_EXCHANGE_NOT_CONFIGURED',
      'The connection has no exchange add-on, so mailbox steps cannot run; add it and relink.',
      { operationKind: op.kind, operationId: op.id },
    );
  }
  return m;
}

export function oneDriveOf(ctx: ApplyContext, op: { id: string; kind: string }): OneDriveService {
  const d = ctx.playbook?.oneDrive;
  if (!d) {
    throw new TenureError(
      'TENURE_EXCHANGE_NOT_CONFIGURED',
      'The connection has no sharepoint add-on, so the OneDrive cannot be shared; add it and relink.',
      { operationKind: op.kind, operationId: op.id },
    );
  }
  return d;
}

/** `-Identity` of the mailbox: the UPN the plan recorded, else the worker's object id. */
export function mailboxIdentity(
  op: { id: string; kind: string; target: { objectId: string | null }; params: { mailbox?: string } },
  ctx: ApplyContext,
): string {
  return op.params.mailbox ?? objectIdFor(op, ctx);
}
