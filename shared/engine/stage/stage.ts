/**
 * Pure stage computation: from the HR status (already mapped to a stage by the flow) and the effective dates,
 * in the worker's time zone, decide where the worker is in their lifecycle at `now`, whether the account should
 * exist and be enabled, and the next instant at which that changes by itself (scheduled, never polled).
 * Effective moments: the account is created at start-of-day (local) N days before the start date, enabled at
 * start-of-day of the start date; a termination takes effect at the end of the last day worked (= start of the
 * next local day); deletion N days after that.
 */
import { addDays, startOfLocalDay } from './zonedTime';

export type LeaveKindName = string;

export type HrStage =
  | { readonly stage: 'active' | 'terminated' | 'retired' }
  | { readonly stage: 'leave'; readonly kind: LeaveKindName };

export type LifecyclePhase = 'notYet' | 'prehire' | 'active' | 'leave' | 'terminated' | 'retired' | 'deleted';

export interface StageInputs {
  readonly hr: HrStage;
  /** Local calendar date `yyyy-MM-dd` of the first day of work. */
  readonly startDate?: string;
  /** Local calendar date `yyyy-MM-dd` of the last day worked. */
  readonly lastDayWorked?: string;
  /** IANA zone of the worker. */
  readonly timeZone: string;
  readonly createDaysBeforeStart: number;
  /** Delete this many days after termination; undefined: never. */
  readonly deleteAfterDays?: number;
  /**
   * When the engine first applied this worker's termination (ISO), used to date deletion when HR gives no last
   * day worked.
   */
  readonly terminatedSince?: string;
}

export interface StageDecision {
  readonly phase: LifecyclePhase;
  readonly leaveKind?: LeaveKindName;
  /** Instant (ISO UTC) at which the phase changes by itself; the engine schedules a wake-up for it. */
  readonly nextChangeAt?: string;
  /** Why nextChangeAt exists. */
  readonly nextChange?: 'createAccount' | 'startDate' | 'termination' | 'deletion';
}

const iso = (ms: number): string => new Date(ms).toISOString();

function terminationInstant(inputs: StageInputs): number | undefined {
  if (inputs.lastDayWorked) return startOfLocalDay(addDays(inputs.lastDayWorked, 1), inputs.timeZone);
  if (inputs.terminatedSince) return Date.parse(inputs.terminatedSince);
  return undefined;
}

function activeDecision(inputs: StageInputs, now: number): StageDecision {
  if (!inputs.startDate) return { phase: 'active' };
  const startAt = startOfLocalDay(inputs.startDate, inputs.timeZone);
  const createAt = startOfLocalDay(addDays(inputs.startDate, -inputs.createDaysBeforeStart), inputs.timeZone);
  if (now < createAt) return { phase: 'notYet', nextChangeAt: iso(createAt), nextChange: 'createAccount' };
  if (now < startAt) return { phase: 'prehire', nextChangeAt: iso(startAt), nextChange: 'startDate' };
  return { phase: 'active' };
}

function leaverDecision(inputs: StageInputs, phase: 'terminated' | 'retired', now: number): StageDecision {
  const effectiveAt = inputs.lastDayWorked
    ? startOfLocalDay(addDays(inputs.lastDayWorked, 1), inputs.timeZone)
    : undefined;
  if (effectiveAt !== undefined && now < effectiveAt) {
    // Future-dated termination: still working until the end of the last day.
    const active = activeDecision(inputs, now);
    return active.nextChangeAt && Date.parse(active.nextChangeAt) < effectiveAt
      ? active
      : { ...active, nextChangeAt: iso(effectiveAt), nextChange: 'termination' };
  }
  const since = terminationInstant(inputs);
  if (inputs.deleteAfterDays === undefined || since === undefined) return { phase };
  const deleteAt = inputs.lastDayWorked
    ? startOfLocalDay(addDays(inputs.lastDayWorked, 1 + inputs.deleteAfterDays), inputs.timeZone)
    : since + inputs.deleteAfterDays * 86_400_000;
  if (now >= deleteAt) return { phase: 'deleted' };
  return { phase, nextChangeAt: iso(deleteAt), nextChange: 'deletion' };
}

export function computeStage(inputs: StageInputs, now: Date): StageDecision {
  const t = now.getTime();
  switch (inputs.hr.stage) {
    case 'active':
      return activeDecision(inputs, t);
    case 'leave':
      return { phase: 'leave', leaveKind: inputs.hr.kind };
    case 'terminated':
    case 'retired':
      return leaverDecision(inputs, inputs.hr.stage, t);
  }
}
