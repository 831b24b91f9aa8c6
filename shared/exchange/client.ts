/**
 * The Exchange Online admin API client: POST {exchangeUrl}/adminapi/beta/{tenantId}/InvokeCommand with a
 * `CmdletInput`, the connection's Exchange token, the app-only anchor mailbox, paging through `@odata.nextLink`,
 * and retries of throttling and transient answers honouring Retry-After / Rate-Limit-Reset (graph-spec.md §7.2).
 * Fetch, credential, clock and sleep are injected; only `send` touches the network.
 */
import type { TokenCredential } from '@azure/core-auth';
import { TenureError } from '../engine/errors';
import { waitFitsRun } from '../engine/runDeadline';
import { AdaptiveLimiter, ConnectionPause } from '../graph/policy';
import { toExchangeError } from './errors';
import { DEFAULT_EXCHANGE_RETRY, isThrottled, retryDelayMs, type ExchangeRetryOptions } from './policy';
import type { CmdletInput, CmdletResult, ExchangeHttpResponse } from './types';

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{
  status: number;
  headers: { forEach(cb: (value: string, key: string) => void): void };
  text(): Promise<string>;
}>;

export interface ExchangeClientOptions {
  /** `exchangeInvokeCommandUrl(endpoints, tenantId)` from shared/clouds/endpoints.ts. */
  readonly invokeUrl: string;
  readonly tenantId: string;
  /** `scopeOf(endpoints.exchangeResource)`. */
  readonly scope: string;
  readonly credential: TokenCredential;
  readonly fetch?: FetchLike;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly retry?: ExchangeRetryOptions;
  /** Delegated callers anchor on their own mailbox (`UPN:<upn>`); app-only uses the system mailbox (default). */
  readonly anchorMailbox?: string;
  /**
   * Concurrent calls allowed (Exchange throttles concurrency per tenant): halves on throttling, grows with
   * successes. Default 3 in flight, between 1 and 8; share one client per connection so workers share it.
   */
  readonly limiter?: AdaptiveLimiter;
  /**
   * The connection's throttling pause: after Exchange asks to wait, no cmdlet of the connection is sent before the
   * wait ends (retrying sooner is refused again and keeps the tenant throttled). Shared like the limiter.
   */
  readonly pause?: ConnectionPause;
}

/** The app-only anchor the ExchangeOnlineManagement module sends. */
export function appOnlyAnchor(tenantId: string): string {
  return `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenantId}`;
}

/** Builds the HTTP body of a cmdlet call (pure). */
export function cmdletBody(input: CmdletInput): string {
  return JSON.stringify({ CmdletInput: { CmdletName: input.cmdlet, Parameters: input.parameters } });
}

/** Reads one page of a successful answer (pure). */
export function parsePage(text: string): {
  value: Record<string, unknown>[];
  warnings: string[];
  next?: string;
} {
  let body: Record<string, unknown> = {};
  try {
    body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  } catch {
    throw new TenureError(
      'TENURE_EXCHANGE_UNAVAILABLE',
      'Exchange answered with a body that is not JSON.',
      {},
      {
        terminal: false,
      },
    );
  }
  const value = Array.isArray(body.value) ? (body.value as Record<string, unknown>[]) : [];
  const warnings = Array.isArray(body['@adminapi.warnings'])
    ? (body['@adminapi.warnings'] as unknown[]).filter((w): w is string => typeof w === 'string')
    : [];
  const link = body['@odata.nextLink'];
  return { value, warnings, ...(typeof link === 'string' ? { next: link } : {}) };
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class ExchangeAdminClient {
  private readonly fetch: FetchLike;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  readonly limiter: AdaptiveLimiter;
  private readonly pause: ConnectionPause;

  constructor(private readonly options: ExchangeClientOptions) {
    this.limiter = options.limiter ?? new AdaptiveLimiter(1, 8, 3);
    this.pause = options.pause ?? new ConnectionPause();
    this.fetch = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
  }

  /** Runs one cmdlet; every page of its output is returned. Throws TenureError (TENURE_EXCHANGE_*). */
  async invoke(input: CmdletInput): Promise<CmdletResult> {
    const body = cmdletBody(input);
    const value: Record<string, unknown>[] = [];
    const warnings: string[] = [];
    let url: string | undefined = this.options.invokeUrl;
    while (url) {
      const response = await this.sendWithRetries(url, body, input.cmdlet);
      const page = parsePage(response.text);
      value.push(...page.value);
      warnings.push(...page.warnings);
      url = page.next;
    }
    return { value, warnings };
  }

  private async sendWithRetries(url: string, body: string, cmdlet: string): Promise<ExchangeHttpResponse> {
    for (let attempt = 1; ; attempt++) {
      // A retry already waited its own asked time; a first try waits the connection's pause.
      if (attempt === 1) await this.awaitPause(cmdlet);
      await this.limiter.acquire();
      let response: ExchangeHttpResponse;
      try {
        response = await this.send(url, body, cmdlet, attempt);
      } finally {
        this.limiter.release();
      }
      if (response.status >= 200 && response.status < 300) {
        this.limiter.onSuccess();
        return response;
      }
      if (isThrottled(response)) this.limiter.onThrottle();
      const wait = retryDelayMs(response, attempt, this.now(), this.options.retry);
      if (wait === undefined) {
        const error = toExchangeError(response, cmdlet, this.now());
        // Given up, or asked to wait longer than we hold a worker: the connection's other cmdlets wait too.
        if (isThrottled(response) && error.details.retryAfterMs !== undefined) {
          this.pause.extend(this.now() + error.details.retryAfterMs);
        }
        throw error;
      }
      if (isThrottled(response)) this.pause.extend(this.now() + wait);
      if (!waitFitsRun(wait, this.now())) {
        // The run may not sleep past its deadline (engine/runDeadline.ts): the queue waits instead, no sooner.
        const error = toExchangeError(response, cmdlet, this.now());
        throw error.withDetails({ retryAfterMs: error.details.retryAfterMs ?? wait });
      }
      await this.sleep(wait);
    }
  }

  /**
   * Waits out the connection's pause, unless it is longer than a worker is held in process or ends past the run's
   * deadline: then the cmdlet is not sent and fails as throttled with the time left (the queue redelivers).
   */
  private async awaitPause(cmdlet: string): Promise<void> {
    const wait = this.pause.remainingMs(this.now());
    if (wait === 0) return;
    const maxDelayMs = this.options.retry?.maxDelayMs ?? DEFAULT_EXCHANGE_RETRY.maxDelayMs;
    if (wait > maxDelayMs || !waitFitsRun(wait, this.now())) {
      throw new TenureError(
        'TENURE_EXCHANGE_THROTTLED',
        `Exchange ${cmdlet} was not sent: Exchange asked this connection to wait.`,
        { operationKind: cmdlet, cmdlet, retryAfterMs: wait },
        { terminal: false },
      );
    }
    await this.sleep(wait);
  }

  private async token(cmdlet: string): Promise<string> {
    try {
      const token = await this.options.credential.getToken(this.options.scope);
      if (!token) throw new Error('no token');
      return token.token;
    } catch (error) {
      throw new TenureError(
        'TENURE_CREDENTIALS_UNAVAILABLE',
        `No Exchange token for ${cmdlet}: the connection's credential failed.`,
        { operationKind: cmdlet, cmdlet },
        { cause: error, terminal: false },
      );
    }
  }

  private async send(
    url: string,
    body: string,
    cmdlet: string,
    attempt: number,
  ): Promise<ExchangeHttpResponse> {
    const token = await this.token(cmdlet);
    try {
      const res = await this.fetch(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'X-AnchorMailbox': this.options.anchorMailbox ?? appOnlyAnchor(this.options.tenantId),
          'X-CmdletName': cmdlet,
          Prefer: 'odata.maxpagesize=1000',
        },
        body,
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
      return { status: res.status, headers, text: await res.text() };
    } catch (error) {
      // Network failures are answered like a 503 so the same retry policy applies.
      if (attempt < (this.options.retry?.maxAttempts ?? 5)) return { status: 503, headers: {}, text: '' };
      throw new TenureError(
        'TENURE_EXCHANGE_UNAVAILABLE',
        `Exchange ${cmdlet} could not be reached.`,
        { operationKind: cmdlet, cmdlet },
        { cause: error, terminal: false },
      );
    }
  }
}
