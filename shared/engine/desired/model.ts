/**
 * What the flow says one worker's Entra account should be at `now`: computed from the HR snapshot by the flow's
 * expressions and rules (see desired/fromFlow.ts). Plain data; entitlements are still flow references (names or
 * ids) that the observe step resolves against the tenant.
 */
import type { JsonValue } from '../plan/model';
import type { LifecyclePhase, StageDecision } from '../stage/stage';

export interface NamingCandidates {
  /** Ordered candidate values; the uniqueness step takes the first free one. */
  readonly userPrincipalName: readonly string[];
  readonly mailNickname: readonly string[];
  /** Empty when the flow does not set mail. */
  readonly mail: readonly string[];
}

export interface EntitlementSet {
  /** References the rules grant this worker now. */
  readonly granted: readonly string[];
  /** Every reference the flow's rules could grant anyone (for managed-only retention). */
  readonly managed: readonly string[];
}

export interface DesiredState {
  readonly flow: string;
  readonly employeeId: string;
  /** The HR snapshot this was computed from (version as sent, hash of the record). */
  readonly snapshot: { readonly version: string; readonly hash: string };
  readonly decision: StageDecision;
  /** Phase last applied for this worker (from the Workers table), for explanations and transitions. */
  readonly previousPhase?: LifecyclePhase;
  /**
   * Entra attributes the flow computes (name → value, null clears). Includes `employeeId`; excludes naming
   * attributes and `accountEnabled`, which the planner owns. Attributes an expression skipped are absent.
   */
  readonly attributes: Readonly<Record<string, JsonValue>>;
  readonly naming: NamingCandidates;
  readonly groups: EntitlementSet;
  readonly licenses: EntitlementSet;
  /** Manager's employee id; null: no manager; undefined: the flow does not manage managers. */
  readonly managerEmployeeId: string | null | undefined;
}
