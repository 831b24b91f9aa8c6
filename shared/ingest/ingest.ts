/**
 * POST /api/flows/{flow}/events without HTTP: picks the reader by content type, enforces the limits, validates each
 * record against the flow, sends accepted records as worker snapshots, handles full extracts, and builds the answer
 * (status + JSON body). The Azure Functions handler (functions/events.ts) only adapts requests and responses.
 */
import type { WorkerMessageSender } from '../messaging/sender';
import type { FlowSource } from './flowSource';
import type { FullExtractAnswer, IngestAnswer, IngestFormat, RecordAnswer } from './answer';
import { readCloudEvent, readCloudEventBatch } from './cloudEvents';
import { charset, mediaType, negotiate, sniffJson } from './contentType';
import { readCsvExtract } from './csvExtract';
import { sendSnapshots } from './enqueue';
import { IngestError } from './errors';
import { handleFullExtract } from './fullExtract';
import type { IncomingRecord } from './incoming';
import { LIMITS, type IngestLimits } from './limits';
import type { ManagedWorkers } from './managedWorkers';
import { SCIM_ERROR, readBulkRequest } from './scim';
import { mergeWithStored, type StoredSnapshots } from './storedMerge';
import { checkRecords, rawEmployeeId } from './validate';

export interface IngestDeps {
  readonly flows: FlowSource;
  /** Created on first use (a request rejected early never opens a Service Bus link). */
  readonly sender: () => WorkerMessageSender;
  readonly managedWorkers?: () => ManagedWorkers;
  /** SCIM: the worker's stored record, so an operation updates only the attributes it carries. */
  readonly storedSnapshots?: StoredSnapshots;
  readonly now?: () => Date;
  readonly limits?: Partial<IngestLimits>;
}

export interface IngestRequest {
  readonly flow: string;
  readonly contentType: string | null | undefined;
  /** Declared Content-Length, when given: a body announced too large is refused before it is read. */
  readonly contentLength?: number;
  readonly readBody: () => Promise<Uint8Array>;
  readonly query: { get(name: string): string | null };
}

export interface IngestResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const ACCEPTED_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

function errorResult(error: IngestError, scim: boolean): IngestResult {
  const body: Record<string, unknown> = {
    error: { code: error.code, message: error.message, details: error.details },
  };
  // SCIM clients read RFC 7644 §3.12 errors; both shapes are in one body.
  if (scim)
    Object.assign(body, { schemas: [SCIM_ERROR], status: String(error.status), detail: error.message });
  return { status: error.status, body };
}

function parseQuery(query: IngestRequest['query'], format: IngestFormat) {
  const fullText = query.get('full');
  if (fullText !== null && fullText !== 'true' && fullText !== 'false')
    throw new IngestError('TENURE_INGEST_BAD_QUERY', 'full must be true or false.', { parameter: 'full' });
  const full = fullText === 'true';
  if (full && format !== 'csv')
    throw new IngestError('TENURE_INGEST_BAD_QUERY', 'full=true is for CSV extracts (text/csv) only.', {
      parameter: 'full',
    });
  const ignoreText = query.get('ignore');
  if (ignoreText !== null && format !== 'csv')
    throw new IngestError('TENURE_INGEST_BAD_QUERY', 'ignore= lists CSV columns; it is for text/csv only.', {
      parameter: 'ignore',
    });
  const ignore = ignoreText
    ? ignoreText
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [];
  const effectiveText = query.get('effective');
  let effective: string | undefined;
  if (effectiveText !== null) {
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(effectiveText)
      ? Date.parse(effectiveText)
      : NaN;
    if (!Number.isFinite(ms))
      throw new IngestError(
        'TENURE_INGEST_BAD_QUERY',
        'effective must be an ISO 8601 instant with an offset.',
        {
          parameter: 'effective',
        },
      );
    if (format === 'cloudevents' || format === 'cloudevents-batch')
      throw new IngestError(
        'TENURE_INGEST_BAD_QUERY',
        'CloudEvents carry effectivetime per event; effective= is for CSV and SCIM.',
        {
          parameter: 'effective',
        },
      );
    effective = new Date(ms).toISOString();
  }
  return { full, ignore, effective };
}

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new IngestError('TENURE_INGEST_MALFORMED', 'The body is not valid UTF-8 text.');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8's message can quote the start of the body (HR data, perhaps a secret): say where, never what.
    const at = error instanceof SyntaxError ? /position (\d+)/.exec(error.message)?.[1] : undefined;
    throw new IngestError(
      'TENURE_INGEST_MALFORMED',
      `The body is not valid JSON${at === undefined ? '' : ` (at character ${at})`}.`,
    );
  }
}

function summaryMessage(answer: Omit<IngestAnswer, 'message'>): string {
  const { records, accepted, rejected, failed, scheduled } = answer.summary;
  if (records === 0) return 'The request held no records; nothing was sent.';
  const parts = [
    `${accepted} of ${records} record(s) accepted${scheduled > 0 ? ` (${scheduled} scheduled)` : ''}`,
  ];
  if (rejected > 0)
    parts.push(
      `${rejected} rejected — the request was processed, so the status is 200; fix those records (see records[].errors) and send them again`,
    );
  if (failed > 0)
    parts.push(`${failed} could not be queued — send the request again (accepted records are deduplicated)`);
  return parts.join('; ') + '.';
}

/** Builds the sender on first send, so a sender that cannot be built fails records (503), not the request (500). */
function lazySender(make: () => WorkerMessageSender): WorkerMessageSender {
  return {
    send: (message) => make().send(message),
    schedule: (message, at) => make().schedule(message, at),
  };
}

export async function ingest(deps: IngestDeps, request: IngestRequest): Promise<IngestResult> {
  const limits: IngestLimits = { ...LIMITS, ...deps.limits };
  let scim = false;
  try {
    scim = mediaType(request.contentType) === 'application/scim+json';
    const flow = deps.flows(request.flow);
    if (!flow)
      throw new IngestError('TENURE_INGEST_FLOW_NOT_FOUND', `There is no flow named "${request.flow}".`, {
        flow: request.flow,
      });
    const kind = negotiate(request.contentType);
    const cs = charset(request.contentType);
    if (cs && !ACCEPTED_CHARSETS.has(cs))
      throw new IngestError(
        'TENURE_INGEST_UNSUPPORTED_MEDIA_TYPE',
        `charset ${cs} is not accepted; send UTF-8.`,
      );
    const tooLarge = (size: number | undefined) =>
      new IngestError(
        'TENURE_INGEST_BODY_TOO_LARGE',
        `The body ${size === undefined ? 'is' : `has ${size} bytes and is`} larger than the limit of ${limits.maxBodyBytes} bytes (${Math.round(limits.maxBodyBytes / 1048576)} MiB). Split the upload.`,
        { limit: limits.maxBodyBytes, received: size },
      );
    if (request.contentLength !== undefined && request.contentLength > limits.maxBodyBytes)
      throw tooLarge(request.contentLength);
    const bytes = await request.readBody();
    if (bytes.byteLength > limits.maxBodyBytes) throw tooLarge(bytes.byteLength);
    const text = decode(bytes);

    let format: IngestFormat;
    let items: IncomingRecord[];
    let columns: IngestAnswer['columns'];
    let query: ReturnType<typeof parseQuery>;
    if (kind === 'csv') {
      format = 'csv';
      query = parseQuery(request.query, format);
      const extract = readCsvExtract(flow, text, {
        maxRows: limits.maxCsvRows,
        maxColumns: limits.maxCsvColumns,
        ignore: query.ignore,
      });
      items = extract.records;
      columns = { missingOptional: extract.missingOptional, ignored: extract.ignored };
    } else {
      const json = parseJson(text);
      const shape = kind === 'json' ? sniffJson(json) : kind;
      scim = shape === 'scim';
      format = shape;
      query = parseQuery(request.query, format);
      if (shape === 'scim') {
        items = readBulkRequest(flow, json, limits.maxScimOperations);
        if (deps.storedSnapshots) items = await mergeWithStored(flow, items, deps.storedSnapshots);
      } else if (shape === 'cloudevents-batch') items = readCloudEventBatch(json, limits.maxCloudEvents);
      else {
        if (typeof json !== 'object' || json === null || Array.isArray(json))
          throw new IngestError(
            'TENURE_INGEST_MALFORMED',
            'application/cloudevents+json carries one event (a JSON object); send arrays as application/cloudevents-batch+json.',
          );
        items = [readCloudEvent(json, undefined)];
      }
    }
    if (query.effective) {
      const effectiveAt = query.effective;
      items = items.map((i) => ({ ...i, effectiveAt }));
    }

    const now = (deps.now ?? (() => new Date()))();
    const receivedAt = now.toISOString();
    const checked = checkRecords(flow, items, receivedAt, { allowOrdered: format.startsWith('cloudevents') });
    const valid = checked.flatMap((c, i) => (c.ok ? [{ i, snapshot: c.value }] : []));
    const outcomes =
      valid.length > 0
        ? await sendSnapshots(
            lazySender(deps.sender),
            flow.name,
            valid.map((v) => v.snapshot),
            receivedAt,
            limits.sendConcurrency,
          )
        : [];
    const records: RecordAnswer[] = checked.map((c) =>
      c.ok
        ? ({} as RecordAnswer)
        : { ...c.value.ref, status: 'rejected', employeeId: c.value.employeeId, errors: c.value.errors },
    );
    valid.forEach(({ i, snapshot }, k) => {
      const o = outcomes[k]!;
      records[i] = o.ok
        ? {
            ...snapshot.ref,
            status: 'accepted',
            employeeId: snapshot.employeeId,
            trackingId: o.trackingId,
            sessionId: o.sessionId,
            version: snapshot.version,
            ...(o.scheduledFor ? { scheduledFor: o.scheduledFor } : {}),
            ...(snapshot.ignoredAttributes ? { ignoredAttributes: snapshot.ignoredAttributes } : {}),
            ...(snapshot.merged ? { mergedWithStored: true as const } : {}),
          }
        : {
            ...snapshot.ref,
            status: 'failed',
            employeeId: snapshot.employeeId,
            errors: [{ field: '', reason: `Service Bus did not take the message (${o.code})` }],
          };
    });

    let fullExtract: FullExtractAnswer | undefined;
    if (query.full) {
      if (!deps.managedWorkers) throw new Error('full extracts need the managed-workers store');
      const presentIds = new Set<string>();
      let rowsWithoutId = 0;
      for (const item of items) {
        const id = rawEmployeeId(flow, item.raw);
        if (id === undefined) rowsWithoutId++;
        else presentIds.add(id);
      }
      fullExtract = await handleFullExtract({
        flow,
        presentIds,
        rowsWithoutId,
        managed: deps.managedWorkers(),
        sender: lazySender(deps.sender),
        now,
        concurrency: limits.sendConcurrency,
      });
    }

    const count = (s: RecordAnswer['status']) => records.filter((r) => r.status === s).length;
    const partial: Omit<IngestAnswer, 'message'> = {
      flow: flow.name,
      format,
      receivedAt,
      summary: {
        records: records.length,
        accepted: count('accepted'),
        rejected: count('rejected'),
        failed: count('failed'),
        scheduled: records.filter((r) => r.status === 'accepted' && r.scheduledFor).length,
      },
      records,
      ...(columns ? { columns } : {}),
      ...(fullExtract ? { fullExtract } : {}),
    };
    const answer: IngestAnswer = { ...partial, message: summaryMessage(partial) };
    const failed = partial.summary.failed > 0;
    return failed
      ? { status: 503, body: answer, headers: { 'retry-after': '30' } }
      : { status: 200, body: answer };
  } catch (error) {
    if (error instanceof IngestError) return errorResult(error, scim);
    throw error;
  }
}
