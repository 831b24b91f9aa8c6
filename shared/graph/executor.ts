/**
 * The one place Graph requests are retried and paced. `send` retries one request (429/503/504 honouring
 * Retry-After, 404 on lag-tolerant requests); `batch` posts up to 20 requests per `$batch`, correlates responses
 * by id, and re-posts only the throttled sub-requests (and those that failed with 424 because of them), waiting for
 * the longest Retry-After among them. Concurrency adapts (AIMD) to throttling.
 */
import { TenureError } from '../engine/errors';
import type { Sleep } from '../engine/ports';
import { waitFitsRun } from '../engine/runDeadline';
import {
  AdaptiveLimiter,
  ConnectionPause,
  DEFAULT_RETRY,
  RETRYABLE_STATUS,
  retryAfterMs,
  retryDecision,
  type RetryOptions,
} from './policy';
import type { GraphRequest, GraphResponse, GraphTransport } from './types';

export const MAX_BATCH = 20;

export interface BatchItem {
  readonly id: string;
  readonly request: GraphRequest;
  readonly dependsOn?: readonly string[];
}

export interface ExecutorOptions {
  readonly retry?: RetryOptions;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly limiter?: AdaptiveLimiter;
  /** The connection's Retry-After pause; default one of this executor's own. */
  readonly pause?: ConnectionPause;
  /** Clock of the shared pause and of the run deadline (engine/runDeadline.ts); default Date.now. */
  readonly now?: () => number;
}

function lowerHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (h && typeof h === 'object') for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = String(v);
  return out;
}

/** `$batch` body for a chunk (pure). */
export function buildBatchRequest(items: readonly BatchItem[]): GraphRequest {
  return {
    method: 'POST',
    url: '/$batch',
    body: {
      requests: items.map((item) => ({
        id: item.id,
        method: item.request.method,
        url: item.request.url,
        ...(item.request.body !== undefined
          ? {
              body: item.request.body,
              headers: { 'Content-Type': 'application/json', ...item.request.headers },
            }
          : item.request.headers
            ? { headers: item.request.headers }
            : {}),
        ...(item.dependsOn && item.dependsOn.length > 0 ? { dependsOn: item.dependsOn } : {}),
      })),
    },
  };
}

/** Responses of a `$batch` by id (pure); throws when the envelope itself failed. */
export function parseBatchResponse(response: GraphResponse): Map<string, GraphResponse> {
  const body = response.body as { responses?: unknown } | undefined;
  if (response.status !== 200 || !body || !Array.isArray(body.responses)) {
    throw new TenureError(
      response.status >= 500 || response.status === 429
        ? 'TENURE_GRAPH_UNAVAILABLE'
        : 'TENURE_GRAPH_BAD_REQUEST',
      `Graph $batch failed with HTTP ${response.status}.`,
      // The queue's redelivery waits at least this long (engine/handler.ts).
      { graphStatus: response.status, operationKind: '$batch', retryAfterMs: retryAfterMs(response.headers) },
    );
  }
  const out = new Map<string, GraphResponse>();
  for (const r of body.responses as { id?: unknown; status?: unknown; headers?: unknown; body?: unknown }[]) {
    if (typeof r.id !== 'string' || typeof r.status !== 'number') continue;
    out.set(r.id, { status: r.status, headers: lowerHeaders(r.headers), body: r.body });
  }
  return out;
}

/** What a request not sent during a long pause gets: Graph's own 429 shape, with the seconds left. */
function pausedAnswer(waitMs: number): GraphResponse {
  return {
    status: 429,
    headers: { 'retry-after': String(Math.ceil(waitMs / 1000)) },
    body: { error: { code: 'TooManyRequests', message: 'Not sent: Graph asked this connection to wait.' } },
  };
}

/**
 * What a request gets when its next wait would end past the run's deadline (engine/runDeadline.ts): its own
 * throttling answer, naming the wait it would have slept so the queue redelivers no sooner; a refusal that is not
 * itself transient (a 404 awaiting replication, a 424 behind a throttled request) becomes a 503 with that wait,
 * because it is not final either.
 */
export function outOfRunTime(response: GraphResponse, waitMs: number): GraphResponse {
  const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
  if (RETRYABLE_STATUS.has(response.status)) {
    if (response.headers['retry-after'] !== undefined) return response;
    return { ...response, headers: { ...response.headers, 'retry-after': retryAfter } };
  }
  return {
    status: 503,
    headers: { 'retry-after': retryAfter },
    body: {
      error: {
        code: 'serviceNotAvailable',
        message: 'Not retried: the run may not wait longer in process; the queue redelivers it.',
      },
    },
  };
}

export class GraphExecutor {
  readonly limiter: AdaptiveLimiter;
  private readonly retry: RetryOptions;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly now: () => number;
  /** No request is sent before it ends (after a throttle, every caller waits). */
  private readonly pause: ConnectionPause;

  constructor(
    private readonly transport: GraphTransport,
    options: ExecutorOptions = {},
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
    this.limiter = options.limiter ?? new AdaptiveLimiter();
    this.now = options.now ?? Date.now;
    this.pause = options.pause ?? new ConnectionPause();
  }

  /**
   * `retrying`: the caller already waited its own Retry-After, so the shared pause does not apply twice. A pause
   * longer than a worker is held is not slept through: the request is not sent, and answered as Graph would
   * answer it (429 with the time left), so the engine's queue redelivers it no sooner; so is a pause that would
   * end past the run's deadline.
   */
  private async paced(request: GraphRequest, retrying: boolean): Promise<GraphResponse> {
    const wait = this.pause.remainingMs(this.now());
    const tooLong = wait > this.retry.maxDelayMs || (wait > 0 && !waitFitsRun(wait, this.now()));
    if (tooLong && !retrying) return pausedAnswer(wait);
    if (wait > 0 && !retrying) await this.sleep(wait);
    await this.limiter.acquire();
    try {
      return await this.transport.send(request);
    } finally {
      this.limiter.release();
    }
  }

  private noteThrottle(status: number, delayMs: number): void {
    if (status !== 429 && status !== 503) return;
    this.limiter.onThrottle();
    this.pause.extend(this.now() + delayMs);
  }

  /** A final refusal that names its wait still pauses the connection for that long. */
  private noteAskedWait(response: GraphResponse): void {
    const asked = retryAfterMs(response.headers);
    if (asked !== undefined) this.noteThrottle(response.status, asked);
  }

  /** Sends one request with retries; returns the final response (success or not). */
  async send(request: GraphRequest, alreadyWaited = false): Promise<GraphResponse> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.paced(request, alreadyWaited || attempt > 0);
      const decision = retryDecision(
        response.status,
        response.headers,
        attempt,
        request.tolerateLag ?? false,
        this.retry,
        this.random,
      );
      if (!decision) {
        if (response.status < 400) this.limiter.onSuccess();
        // Given up, or asked to wait longer than we hold a worker: the connection's other requests wait too.
        else this.noteAskedWait(response);
        return response;
      }
      this.noteThrottle(response.status, decision.retryAfterMs);
      // The run may not sleep past its deadline: the queue waits instead (engine/handler.ts).
      if (!waitFitsRun(decision.retryAfterMs, this.now()))
        return outOfRunTime(response, decision.retryAfterMs);
      await this.sleep(decision.retryAfterMs);
    }
  }

  /**
   * Sends items in `$batch` chunks of at most 20 (a dependency chain must fit in one chunk: callers keep
   * dependents with their prerequisites). Returns the final response of every item by id.
   */
  async batch(items: readonly BatchItem[]): Promise<Map<string, GraphResponse>> {
    const results = new Map<string, GraphResponse>();
    for (let i = 0; i < items.length; i += MAX_BATCH) {
      const chunk = items.slice(i, i + MAX_BATCH);
      for (const [id, r] of await this.batchChunk(chunk)) results.set(id, r);
    }
    return results;
  }

  private async batchChunk(chunk: readonly BatchItem[]): Promise<Map<string, GraphResponse>> {
    const results = new Map<string, GraphResponse>();
    let pending = [...chunk];
    for (let attempt = 0; pending.length > 0; attempt++) {
      const envelope = await this.send(buildBatchRequest(pending), attempt > 0);
      const responses = parseBatchResponse(envelope);
      let delay = 0;
      const again: BatchItem[] = [];
      const answered = new Map<string, GraphResponse>();
      for (const item of pending) {
        const r = responses.get(item.id) ?? { status: 424, headers: {}, body: undefined };
        answered.set(item.id, r);
        const decision = retryDecision(
          r.status,
          r.headers,
          attempt,
          item.request.tolerateLag ?? false,
          this.retry,
          this.random,
        );
        if (decision) {
          this.noteThrottle(r.status, decision.retryAfterMs);
          delay = Math.max(delay, decision.retryAfterMs);
          again.push(item);
        } else {
          this.noteAskedWait(r);
          results.set(item.id, r);
        }
      }
      // A dependent that failed with 424 because its prerequisite is retried goes again with it.
      const retried = new Set(again.map((a) => a.id));
      for (const item of pending) {
        const r = results.get(item.id);
        if (r?.status === 424 && item.dependsOn?.some((d) => retried.has(d))) {
          results.delete(item.id);
          again.push(item);
          retried.add(item.id);
        }
      }
      if (again.length === 0) break;
      if (!waitFitsRun(delay, this.now())) {
        // The run may not sleep past its deadline: each item not final names the wait (the queue takes over).
        for (const item of again) results.set(item.id, outOfRunTime(answered.get(item.id)!, delay));
        break;
      }
      // Keep dependsOn only towards items that are re-posted with it.
      pending = again.map((a) => ({ ...a, dependsOn: a.dependsOn?.filter((d) => retried.has(d)) }));
      await this.sleep(delay);
    }
    return results;
  }
}
