// Retry decisions for the Exchange admin API (pure): which answers are throttling or transient, and how long to wait.
// Exchange throttles with 429/503/504/408 or a plain-text "maximum number of concurrent requests" body, and tells
// the wait in Retry-After (seconds or HTTP date) or Rate-Limit-Reset (ISO time) (graph-spec.md §7.2).
import type { ExchangeHttpResponse } from './types';

export interface ExchangeRetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts?: number;
  /** First back-off when the service names no wait; doubles each attempt. */
  readonly baseDelayMs?: number;
  /**
   * Longest single wait in process. A longer wait the service asks for is not cut short: the call fails as
   * throttled with that wait, and the engine's queue redelivers the worker no sooner (engine/handler.ts).
   */
  readonly maxDelayMs?: number;
}

export const DEFAULT_EXCHANGE_RETRY: Required<ExchangeRetryOptions> = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
};

const RETRY_STATUSES = new Set([408, 429, 503, 504]);
const CONCURRENCY = /maximum number of concurrent requests/i;

/** Throttling (as opposed to a transient outage): 429 or the concurrency text. */
export function isThrottled(response: ExchangeHttpResponse): boolean {
  return response.status === 429 || CONCURRENCY.test(response.text);
}

export function isRetryable(response: ExchangeHttpResponse): boolean {
  return RETRY_STATUSES.has(response.status) || (response.status >= 400 && CONCURRENCY.test(response.text));
}

/** The wait the service asked for, in ms; undefined when it named none. */
export function serviceDelayMs(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  const reset = headers['rate-limit-reset']?.trim();
  if (reset) {
    const at = Date.parse(reset);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  return undefined;
}

/** How long to wait before attempt `attempt + 1` (attempt counts from 1), or undefined to stop retrying. */
export function retryDelayMs(
  response: ExchangeHttpResponse,
  attempt: number,
  nowMs: number,
  options: ExchangeRetryOptions = {},
): number | undefined {
  const o = { ...DEFAULT_EXCHANGE_RETRY, ...options };
  if (!isRetryable(response) || attempt >= o.maxAttempts) return undefined;
  const asked = serviceDelayMs(response.headers, nowMs);
  // Retrying sooner than asked is refused again: hand it back instead.
  if (asked !== undefined) return asked > o.maxDelayMs ? undefined : asked;
  return Math.min(o.baseDelayMs * 2 ** (attempt - 1), o.maxDelayMs);
}
