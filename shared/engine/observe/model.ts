/**
 * What Entra (and Tenure's own records) say about one worker right now: the account (live or soft-deleted),
 * its groups, licences and manager, the flow's references resolved to ids, and the naming values reserved for a
 * create or rename. Produced by observe/observe.ts; plain data so plans can reference it by hash.
 */
import type { JsonValue } from '../plan/model';

export interface ObservedUser {
  readonly id: string;
  /** True when the account is in the deleted-items container (restorable within 30 days). */
  readonly deleted: boolean;
  readonly deletedDateTime?: string;
  readonly accountEnabled: boolean;
  /** Selected attributes, including userPrincipalName, mailNickname, mail and employeeId. */
  readonly attributes: Readonly<Record<string, JsonValue>>;
}

export interface ResolvedReferences {
  /** Flow group reference → group object id. */
  readonly groups: Readonly<Record<string, string>>;
  /** Flow licence reference → skuId. */
  readonly skus: Readonly<Record<string, string>>;
  /** The desired manager, resolved by employee id; objectId null when not in Entra yet. */
  readonly manager: { readonly employeeId: string; readonly objectId: string | null } | null;
}

export interface ObservedState {
  readonly takenAt: string;
  readonly user: ObservedUser | null;
  /** Group ids the user is a direct member of. */
  readonly groups: readonly string[];
  /** skuIds directly assigned. */
  readonly licenses: readonly string[];
  readonly managerObjectId: string | null;
  readonly resolved: ResolvedReferences;
  /** First free (and reserved) naming values, present when a create or rename needs them. */
  readonly freeNames: {
    readonly userPrincipalName?: string;
    readonly mailNickname?: string;
    readonly mail?: string;
  };
  /** Tenure's own bookkeeping for this worker. */
  readonly bookkeeping: {
    /** Wake-up already scheduled for this instant (ISO). */
    readonly scheduledWakeAt?: string;
    /** Manager employee id this worker is already recorded as waiting for. */
    readonly pendingManager?: string;
    /** Reports waiting for this worker as their manager. */
    readonly waitingReports: number;
  };
}
