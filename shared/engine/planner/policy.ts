// The flow's lifecycle options the planner needs, as plain data (built from the Flow by desired/fromFlow.ts).
import type { CredentialMethod } from '../plan/model';

export type GroupRetentionMode = 'managed-only' | 'add-only' | 'strict';
export type StageSwitch = 'hire' | 'update' | 'leave' | 'termination' | 'delete';

export interface LeaverActions {
  readonly disable: boolean;
  readonly revokeSessions: boolean;
  readonly removeGroups: boolean;
  readonly removeLicenses: boolean;
}

export interface PlanPolicy {
  /** Stages the flow runs; a stage not listed is never planned. */
  readonly run: readonly StageSwitch[];
  readonly groupRetention: GroupRetentionMode;
  readonly credential: CredentialMethod;
  readonly leave: Readonly<Record<string, LeaverActions>>;
  readonly termination: LeaverActions;
  readonly retirement: LeaverActions;
  /** Reuse (restore/re-enable) the old account when a rehire returns within this many days; default 30. */
  readonly reuseAccountWithinDays: number;
}
