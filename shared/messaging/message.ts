/**
 * The worker message on the `hr-events` queue: one worker's whole HR snapshot (never a delta), or a wake-up /
 * retry that re-reads the latest stored snapshot. Session id = flow + employee id, so one worker is processed in
 * order. HR ingestion produces `snapshot` messages; the engine produces `wake` and `retry` messages.
 */
/**
 * snapshot: a new HR record; wake: a scheduled effective moment; retry: a delayed retry or an admin replay;
 * redrive: the worker's manager now exists; resume: an admin approved the plan held by the mass-change guard.
 */
export type WorkerMessageKind = 'snapshot' | 'wake' | 'retry' | 'redrive' | 'resume';

export interface WorkerMessage {
  readonly kind: WorkerMessageKind;
  readonly flow: string;
  readonly employeeId: string;
  /** HR record version or as-of time of `record`; compared to the last applied one (older → skipped). */
  readonly version: string;
  /** The raw HR record (snapshot messages; optional for wake/retry/redrive, which use the stored one). */
  readonly record?: Readonly<Record<string, unknown>>;
  /** Delivery attempt of a delayed retry copy (1 for the first retry). */
  readonly attempt?: number;
  /** ISO time the message was produced. */
  readonly sentAt: string;
}

export function sessionIdFor(flow: string, employeeId: string): string {
  return `${flow}:${employeeId}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const KINDS: readonly WorkerMessageKind[] = ['snapshot', 'wake', 'retry', 'redrive', 'resume'];

/** Type guard for a message body; returns the reason it is not a worker message, or the message. */
export function parseWorkerMessage(
  body: unknown,
): { ok: true; message: WorkerMessage } | { ok: false; reason: string } {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { ok: false, reason: 'body is not JSON' };
    }
  }
  if (!isRecord(value)) return { ok: false, reason: 'body is not an object' };
  if (!KINDS.includes(value.kind as WorkerMessageKind)) return { ok: false, reason: 'unknown kind' };
  for (const key of ['flow', 'employeeId', 'version', 'sentAt'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') return { ok: false, reason: `${key} missing` };
  }
  if (value.record !== undefined && !isRecord(value.record))
    return { ok: false, reason: 'record is not an object' };
  if (value.kind === 'snapshot' && value.record === undefined)
    return { ok: false, reason: 'snapshot without record' };
  if (value.attempt !== undefined && (typeof value.attempt !== 'number' || value.attempt < 0)) {
    return { ok: false, reason: 'attempt is not a number' };
  }
  return { ok: true, message: value as unknown as WorkerMessage };
}
