// Counts from the emulator's Graph request log (GET {admin}/requests?service=graph) for one tenant and app: what
// went over the wire, what ran inside $batch (items are logged with `detail: "$batch <id>"`), writes and 429s.

export interface GraphLogEntry {
  seq: number;
  method: string;
  path: string;
  status: number;
  tenantId?: string;
  appId?: string;
  detail?: string;
}

export interface GraphLogSummary {
  /** HTTP requests the client sent (each $batch counts once). */
  wire: number;
  batchEnvelopes: number;
  /** Operations Graph ran: single requests plus $batch items, envelopes excluded. */
  operations: number;
  batched: number;
  /** POST/PATCH/PUT/DELETE operations, except read-only POSTs (getByIds, getMemberGroups …). */
  writes: number;
  throttled: number;
  /** Answers ≥ 400 other than 429 (404s on look-ups are expected: a joiner is not in the directory yet). */
  errors: number;
  /** The most frequent error answers as "status METHOD /path" (ids replaced by {id}). */
  errorKinds: [string, number][];
}

const READ_ONLY_POST = /\/(getByIds|getMemberGroups|getMemberObjects|checkMemberGroups|checkMemberObjects)$/;

export function analyseGraphLog(entries: GraphLogEntry[], tenantId: string, appId: string): GraphLogSummary {
  const s: GraphLogSummary = {
    wire: 0,
    batchEnvelopes: 0,
    operations: 0,
    batched: 0,
    writes: 0,
    throttled: 0,
    errors: 0,
    errorKinds: [],
  };
  const kinds = new Map<string, number>();
  for (const e of entries) {
    if (e.tenantId !== undefined && e.tenantId !== tenantId) continue;
    if (e.appId !== undefined && e.appId !== appId) continue;
    const inBatch = e.detail?.startsWith('$batch') ?? false;
    const envelope = !inBatch && /\/\$batch$/.test(e.path);
    if (!inBatch) s.wire++;
    if (envelope) {
      s.batchEnvelopes++;
      if (e.status === 429) s.throttled++;
      continue;
    }
    s.operations++;
    if (inBatch) s.batched++;
    if (e.method !== 'GET' && !(e.method === 'POST' && READ_ONLY_POST.test(e.path))) s.writes++;
    if (e.status === 429) s.throttled++;
    else if (e.status >= 400) {
      s.errors++;
      const kind = `${e.status} ${e.method} ${e.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '{id}')}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
  }
  s.errorKinds = [...kinds.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
  return s;
}
