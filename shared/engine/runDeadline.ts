/**
 * The instant after which a reconcile run no longer waits in process. The Service Bus handler sets it when a
 * message's run starts (handler.ts); the Graph executor and the Exchange client ask it before every sleep and, when
 * the wait would end past it, stop retrying and hand the wait to the queue (a transient error carrying
 * `retryAfterMs`, redelivered no sooner). Outside a run (HTTP functions, timers, tests) there is no deadline.
 * Carried by AsyncLocalStorage so adapters shared by concurrent workers see the deadline of the run that calls them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How long a run may wait in process, from the message's start. host.json renews the message (session) lock for at
 * most `maxAutoLockRenewalDuration` (5 min); a run still sleeping after that loses the lock, the message is
 * redelivered and a second instance reconciles the same worker while the first still runs. 4 min leaves a minute
 * for the request in flight after the last wait (Graph/Exchange answer within seconds; the SDK's own timeout is
 * well under that) and for recording the outcome. test/functions/runDeadline.test.ts keeps it below host.json's.
 */
export const RUN_WAIT_BUDGET_MS = 4 * 60_000;

const current = new AsyncLocalStorage<number | undefined>();

/** Runs `fn` with `deadlineMs` (epoch ms) as the run deadline; `undefined` runs it with none. */
export function withRunDeadline<T>(deadlineMs: number | undefined, fn: () => Promise<T>): Promise<T> {
  return current.run(deadlineMs, fn);
}

/** The current run's deadline (epoch ms), or undefined outside a run. */
export function runDeadline(): number | undefined {
  return current.getStore();
}

/** Whether a wait of `waitMs` starting at `nowMs` ends by the current run's deadline (always true outside a run). */
export function waitFitsRun(waitMs: number, nowMs: number): boolean {
  const deadline = runDeadline();
  return deadline === undefined || nowMs + waitMs <= deadline;
}

/**
 * The earliest of several callers' deadlines (undefined only when none has one): work done once for several runs
 * (a coalesced `$batch`) must stop waiting when the first of them must.
 */
export function earliestDeadline(deadlines: readonly (number | undefined)[]): number | undefined {
  const set = deadlines.filter((d): d is number => d !== undefined);
  return set.length === 0 ? undefined : Math.min(...set);
}
