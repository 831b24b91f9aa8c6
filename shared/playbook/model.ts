/**
 * The playbook's slice of desired and observed state, as plain data. Joined to the engine's DesiredState and
 * ObservedState by declaration merging (the engine's own extension pattern), so plans stay data and the planner
 * stays pure.
 */
import type { AutoReplySnapshot, DriveGrant, MailboxSnapshot } from './ports';
import type { StepOptions } from './steps';

export interface DesiredPlaybook {
  /**
   * `leaver`: apply `steps` (their conditions already held for this worker). `return`: undo the reversible steps
   * when the worker comes back (rehire, end of leave); `steps` are the flow's reversible steps.
   */
  readonly mode: 'leaver' | 'return';
  readonly steps: readonly StepOptions[];
}

export type Observation<T> =
  | ({ readonly status: 'present' } & T)
  | { readonly status: 'absent' }
  /** Could not be read for a reason retrying will not fix (e.g. no Exchange.ManageAsApp); steps fail with it. */
  | { readonly status: 'unavailable'; readonly code: string; readonly reason: string };

export interface ObservedMailbox {
  readonly mailbox: MailboxSnapshot;
  readonly sizeBytes: number;
  readonly autoReply: AutoReplySnapshot;
  readonly fullAccess: readonly string[];
  readonly sendAs: readonly string[];
}

export interface ObservedOneDrive {
  readonly driveId: string;
  readonly grants: readonly DriveGrant[];
}

export interface ObservedManager {
  readonly objectId: string;
  /** Exchange lists permission trustees by UPN. */
  readonly userPrincipalName: string;
  /** Where forwarded mail goes; the UPN when the manager has no mail attribute. */
  readonly mail: string;
}

export interface ObservedPlaybook {
  readonly mailbox: Observation<ObservedMailbox>;
  /** Absent when no step needs the OneDrive. */
  readonly oneDrive?: Observation<ObservedOneDrive>;
  /** Assigned skuIds that give Exchange Online Plan 2 rights (what a shared mailbox on hold still needs). */
  readonly plan2SkuIds: readonly string[];
  /** The worker's manager in Entra (addresses lower-cased); null when there is none. */
  readonly manager: ObservedManager | null;
}

declare module '../engine/desired/model' {
  interface DesiredState {
    /** The leaver playbook for this phase (shared/playbook/desired.ts); absent when the flow has none. */
    readonly playbook?: DesiredPlaybook;
  }
}

declare module '../engine/observe/model' {
  interface ObservedState {
    /** Exchange and OneDrive state (shared/playbook/observe.ts); present when `desired.playbook` is. */
    readonly playbook?: ObservedPlaybook;
  }
}
