/**
 * The one place reconcile outcomes and errors map to Service Bus behaviour. Terminal → the worker is marked
 * failed and the message completes. Transient → a delayed retry copy is scheduled with an attempt counter and the
 * message completes (no hot redelivery loop that blocks the session); if even scheduling fails, the error is
 * rethrown so the host abandons and the broker redelivers. After MAX_ATTEMPTS the worker is marked failed.
 */
import { parseWorkerMessage, type WorkerMessage } from '../messaging/message';
import { TenureError, toTenureError } from './errors';
import { markFailed, reconcile, type EngineDeps, type ReconcileOutcome } from './reconcile';
import { RUN_WAIT_BUDGET_MS, withRunDeadline } from './runDeadline';

export const MAX_ATTEMPTS = 8;

/** Delay before retry `attempt` (1-based): the service's Retry-After when given, else 5 s · 2^(n-1), ≤ 15 min. */
export function retryDelayMs(attempt: number, error: TenureError): number {
  const asked = error.details.retryAfterMs;
  const backoff = Math.min(15 * 60_000, 5_000 * 2 ** (attempt - 1));
  return Math.max(asked ?? 0, backoff);
}

export type HandledOutcome =
  | ReconcileOutcome
  | {
      readonly status: 'retryScheduled';
      readonly attempt: number;
      readonly at: string;
      readonly code: string;
    }
  | { readonly status: 'invalidMessage'; readonly reason: string };

export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export async function handleWorkerMessage(
  deps: EngineDeps,
  body: unknown,
  runId: string,
  log: Log,
): Promise<HandledOutcome> {
  const parsed = parseWorkerMessage(body);
  if (!parsed.ok) {
    // Nothing to reconcile or replay: completing is right; the reason is logged (it holds no HR values).
    log.error('worker message rejected', { runId, reason: parsed.reason });
    return { status: 'invalidMessage', reason: parsed.reason };
  }
  const message = parsed.message;
  const ids = { runId, flow: message.flow, employeeId: message.employeeId, kind: message.kind };
  try {
    // No wait in process may outlast the message lock: past the deadline the queue waits (runDeadline.ts). The lock
    // is renewed in wall-clock time, which the adapters wait in; deps.clock is business time (simulated in tests).
    const deadline = Date.now() + RUN_WAIT_BUDGET_MS;
    const outcome = await withRunDeadline(deadline, () =>
      reconcile(deps, message, { runId, bypassGuard: message.kind === 'resume' }),
    );
    log.info('reconciled', { ...ids, status: outcome.status });
    return outcome;
  } catch (thrown) {
    const error = toTenureError(thrown);
    if (error.terminal) {
      log.warn('worker failed', { ...ids, code: error.code });
      return markFailed(deps, message, error, runId);
    }
    const attempt = (message.attempt ?? 0) + 1;
    if (attempt > MAX_ATTEMPTS) {
      log.warn('worker failed after retries', { ...ids, code: error.code, attempts: attempt - 1 });
      const gaveUp = new TenureError(
        error.code,
        `${error.message} Gave up after ${attempt - 1} retries.`,
        error.details,
        {
          cause: error,
          terminal: true,
        },
      );
      return markFailed(deps, message, gaveUp, runId);
    }
    const at = new Date(deps.clock.now().getTime() + retryDelayMs(attempt, error));
    // The copy carries the original snapshot, so nothing is lost even if it was never stored.
    const retry: WorkerMessage = { ...message, attempt, sentAt: deps.clock.now().toISOString() };
    // If this throws, the host abandons the message and the broker redelivers it.
    await deps.sender.schedule(retry, at);
    // Visible in the worker's timeline: nothing is silently retried.
    await deps.timeline
      .append([
        {
          flow: message.flow,
          employeeId: message.employeeId,
          at: deps.clock.now().toISOString(),
          kind: 'failure',
          runId,
          data: { code: error.code, terminal: false, attempt, retryAt: at.toISOString(), ...error.details },
        },
      ])
      .catch(() => undefined);
    log.warn('transient failure, retry scheduled', {
      ...ids,
      code: error.code,
      attempt,
      at: at.toISOString(),
    });
    return { status: 'retryScheduled', attempt, at: at.toISOString(), code: error.code };
  }
}
