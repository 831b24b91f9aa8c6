// Every request the emulator answered, for tests and benchmarks (e.g. counting Graph writes, asserting order).
export interface LoggedRequest {
  seq: number;
  /** When the answer was recorded (ms since the epoch, real clock); `at - durationMs` is when the request came in. */
  at: number;
  service: string;
  method: string;
  path: string;
  query: string;
  status: number;
  durationMs: number;
  tenantId?: string;
  appId?: string;
  /** For $batch and InvokeCommand: what ran inside (e.g. "POST /users", "Set-Mailbox"). */
  detail?: string;
  /** The answer's Retry-After header as sent (throttling and transient errors), so tests can check a client's wait. */
  retryAfter?: string;
}

export class RequestLog {
  #seq = 0;
  readonly #entries: LoggedRequest[] = [];
  readonly #max: number;

  constructor(max = 200_000) {
    this.#max = max;
  }

  record(entry: Omit<LoggedRequest, 'seq' | 'at'> & { at?: number }): void {
    this.#entries.push({ ...entry, seq: ++this.#seq, at: entry.at ?? Date.now() });
    if (this.#entries.length > this.#max) this.#entries.splice(0, this.#entries.length - this.#max);
  }

  since(seq = 0): LoggedRequest[] {
    return this.#entries.filter((e) => e.seq > seq);
  }

  get lastSeq(): number {
    return this.#seq;
  }
}
