/** Which lifecycle stage an HR record is in, and when its dates take effect in the worker's time zone. */
import { evaluateCondition } from './conditions';
import type { Flow, StageResolution } from './model';
import { startOfDayInZone, workerTimeZone } from './time-zone';

export class UnmappedStatusError extends Error {
  readonly code = 'TENURE_FLOW_UNMAPPED_STATUS';
  constructor(readonly field: string) {
    super(`HR status in field "${field}" has a value the flow does not map (and no status.otherwise is set)`);
    this.name = 'UnmappedStatusError';
  }
}

/** Stage of a validated HR record. Throws `UnmappedStatusError` for an unmapped value without `otherwise`. */
export function resolveStage(
  flow: Pick<Flow, 'status'>,
  record: Readonly<Record<string, unknown>>,
): StageResolution {
  const override = flow.status.overrides.find((o) => evaluateCondition(o.when, record));
  if (override) return override.stage;
  const raw = record[flow.status.field];
  const key = raw === null || raw === undefined ? '' : String(raw);
  const hit = Object.prototype.hasOwnProperty.call(flow.status.values, key)
    ? flow.status.values[key]
    : undefined;
  if (hit) return hit;
  if (flow.status.otherwise) return flow.status.otherwise;
  throw new UnmappedStatusError(flow.status.field);
}

function dayOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

/** Instant the account is enabled: start of the start date in the worker's time zone (undefined: no date). */
export function enableInstant(
  flow: Pick<Flow, 'status' | 'hr'>,
  record: Readonly<Record<string, unknown>>,
): Date | undefined {
  const day = dayOf(record[flow.status.startDate]);
  return day ? startOfDayInZone(day, workerTimeZone(flow, record)) : undefined;
}

/** Instant the account may be created: `createDaysBeforeStart` days before the enable instant. */
export function createInstant(
  flow: Pick<Flow, 'status' | 'hr' | 'stages'>,
  record: Readonly<Record<string, unknown>>,
): Date | undefined {
  const enable = enableInstant(flow, record);
  return enable && new Date(enable.getTime() - flow.stages.hire.createDaysBeforeStart * 86_400_000);
}

/** Instant termination takes effect: the end of the last day worked in the worker's time zone. */
export function terminationInstant(
  flow: Pick<Flow, 'status' | 'hr'>,
  record: Readonly<Record<string, unknown>>,
): Date | undefined {
  if (!flow.status.lastDayWorked) return undefined;
  const day = dayOf(record[flow.status.lastDayWorked]);
  if (!day) return undefined;
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return startOfDayInZone(next, workerTimeZone(flow, record));
}
