/**
 * Retry and concurrency policy (pure decisions; only the executor sleeps). Retries 429/503/504 honouring
 * Retry-After (seconds or HTTP date), else exponential back-off with jitter, like the official SDK's RetryHandler —
 * except that a Retry-After longer than `maxDelayMs` is never cut short (the SDK caps it and retries early): the
 * answer is final, and the engine's queue redelivers the worker no sooner than asked (engine/handler.ts).
 * The AIMD limiter halves concurrency on throttling and grows it by one per window of successes.
 */
export interface RetryOptions {
  readonly maxRetries: number;
  /** Base delay for exponential back-off without Retry-After. */
  readonly baseDelayMs: number;
  /** Longest single wait in process; a longer Retry-After ends the retries (the queue waits instead). */
  readonly maxDelayMs: number;
  /** Retries of a 404 on a request that tolerates replication lag. */
  readonly lagRetries: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 6,
  baseDelayMs: 1000,
  maxDelayMs: 180_000,
  lagRetries: 5,
};

export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 503, 504]);

/** Retry-After in ms (seconds or HTTP date), or undefined. */
export function retryAfterMs(
  headers: Readonly<Record<string, string>>,
  now = Date.now(),
): number | undefined {
  const raw = headers['retry-after'];
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential back-off with full jitter in [0.5, 1] of the step. */
export function backoffMs(attempt: number, options: RetryOptions, random: () => number): number {
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(step * (0.5 + random() / 2));
}

/**
 * Whether and when to retry a response: `{ retryAfterMs }` or undefined (final). `attempt` counts retries done.
 */
export function retryDecision(
  status: number,
  headers: Readonly<Record<string, string>>,
  attempt: number,
  tolerateLag: boolean,
  options: RetryOptions,
  random: () => number,
): { retryAfterMs: number } | undefined {
  if (RETRYABLE_STATUS.has(status)) {
    if (attempt >= options.maxRetries) return undefined;
    const asked = retryAfterMs(headers);
    // Retrying sooner than asked is refused again (and Graph keeps counting while throttled): hand it back.
    if (asked !== undefined && asked > options.maxDelayMs) return undefined;
    return { retryAfterMs: asked ?? backoffMs(attempt, options, random) };
  }
  if (status === 404 && tolerateLag && attempt < options.lagRetries) {
    return { retryAfterMs: backoffMs(attempt, { ...options, baseDelayMs: 250 }, random) };
  }
  return undefined;
}

/**
 * The instant before which a connection sends nothing more to a service that asked it to wait (Retry-After).
 * Shared like the limiter: every caller of the connection waits, not only the one that was refused.
 */
export class ConnectionPause {
  private until = 0;

  /** Holds the connection until `untilMs` at least (a pause is never shortened). */
  extend(untilMs: number): void {
    this.until = Math.max(this.until, untilMs);
  }

  /** Time left at `nowMs`, 0 when not paused. */
  remainingMs(nowMs: number): number {
    return Math.max(0, this.until - nowMs);
  }
}

/** Additive-increase / multiplicative-decrease concurrency limit shared by every request of a client. */
export class AdaptiveLimiter {
  private inFlight = 0;
  private successes = 0;
  private readonly waiters: (() => void)[] = [];
  limit: number;

  constructor(
    private readonly min = 1,
    private readonly max = 16,
    initial = 4,
  ) {
    this.limit = initial;
  }

  async acquire(): Promise<void> {
    if (this.inFlight < Math.floor(this.limit)) {
      this.inFlight++;
      return;
    }
    // The slot is taken by wake() on our behalf, so woken waiters never exceed the limit.
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    this.inFlight--;
    this.wake();
  }

  onSuccess(): void {
    this.successes++;
    if (this.successes >= Math.floor(this.limit)) {
      this.successes = 0;
      this.limit = Math.min(this.max, this.limit + 1);
      this.wake();
    }
  }

  onThrottle(): void {
    this.successes = 0;
    this.limit = Math.max(this.min, Math.floor(this.limit / 2));
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.inFlight < Math.floor(this.limit)) {
      this.inFlight++;
      this.waiters.shift()!();
    }
  }
}
