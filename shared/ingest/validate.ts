/**
 * Turns incoming records into validated snapshots or rejections: the flow's HR data definition (parseHrRecord,
 * shared with the example runner), the join key (the employee ID, which must agree with the envelope's), and
 * duplicate employee IDs within one upload.
 */
import { parseHrRecord, type Flow, type HrFieldError, type HrRecord } from '../flows';
import type { RecordRef } from './answer';
import type { IncomingRecord } from './incoming';
import { digest, orderKey, recordDigest, snapshotVersion } from './version';

export interface ValidSnapshot {
  readonly ref: RecordRef;
  readonly employeeId: string;
  /** The raw record as received (restricted to the flow's fields): the engine validates it again. */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly record: HrRecord;
  readonly version: string;
  /** ISO instant to deliver at, when in the future. */
  readonly deliverAt?: string;
  readonly ignoredAttributes?: readonly string[];
  readonly merged?: boolean;
}

export interface Rejection {
  readonly ref: RecordRef;
  readonly employeeId?: string;
  readonly errors: readonly HrFieldError[];
}

export type Checked = { ok: true; value: ValidSnapshot } | { ok: false; value: Rejection };

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** The employee ID as written in a raw record (before validation), trimmed; undefined when absent. */
export function rawEmployeeId(
  flow: Flow,
  raw: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  const v = raw?.[flow.matching.joinKey];
  if (isAbsent(v) || (typeof v !== 'string' && typeof v !== 'number')) return undefined;
  return String(v).trim();
}

function checkOne(flow: Flow, item: IncomingRecord, receivedAt: string): Checked {
  const joinKey = flow.matching.joinKey;
  const errors: HrFieldError[] = [...item.errors];
  if (!item.raw) return { ok: false, value: { ref: item.ref, employeeId: item.envelopeId?.value, errors } };
  const raw: Record<string, unknown> = { ...item.raw };
  const written = rawEmployeeId(flow, raw);
  if (item.envelopeId) {
    if (written === undefined) raw[joinKey] = item.envelopeId.value;
    else if (written !== item.envelopeId.value)
      errors.push({
        field: joinKey,
        reason: `differs from the ${item.envelopeId.name} (both name the employee)`,
      });
  }
  const employeeId = rawEmployeeId(flow, raw);
  const parsed = parseHrRecord(flow, raw);
  if (!parsed.ok) errors.push(...parsed.errors);
  if (errors.length > 0 || !parsed.ok) return { ok: false, value: { ref: item.ref, employeeId, errors } };
  const record = parsed.record;
  const id = String(record[joinKey] ?? '').trim();
  if (id === '') {
    return {
      ok: false,
      value: { ref: item.ref, errors: [{ field: joinKey, reason: 'required (it is the employee ID)' }] },
    };
  }
  const asOfField = flow.status.asOf ? orderKey(record[flow.status.asOf] ?? null) : undefined;
  const order = asOfField ?? item.effectiveAt ?? item.asOf ?? receivedAt;
  const version = snapshotVersion(order, item.dedupeKey ? digest(item.dedupeKey) : recordDigest(record));
  const deliverAt = item.effectiveAt && item.effectiveAt > receivedAt ? item.effectiveAt : undefined;
  return {
    ok: true,
    value: {
      ref: item.ref,
      employeeId: id,
      raw,
      record,
      version,
      deliverAt,
      ignoredAttributes: item.ignoredAttributes,
      merged: item.merged,
    },
  };
}

function describe(ref: RecordRef): string {
  if (ref.row !== undefined) return `row ${ref.row}`;
  if (ref.operation !== undefined) return `operation ${ref.operation}`;
  if (ref.eventId !== undefined) return `event ${ref.eventId}`;
  return `record ${(ref.index ?? 0) + 1}`;
}

/**
 * Validates every record. An employee ID that appears more than once in one upload makes all its records
 * rejected (which one is right cannot be told), except where `allowOrdered` and every record of that employee
 * has a distinct version order (CloudEvents with distinct `time`s describe one worker over time).
 */
export function checkRecords(
  flow: Flow,
  items: readonly IncomingRecord[],
  receivedAt: string,
  options: { allowOrdered?: boolean } = {},
): Checked[] {
  const checked = items.map((item) => checkOne(flow, item, receivedAt));
  const byId = new Map<string, number[]>();
  checked.forEach((c, i) => {
    const id = c.value.employeeId;
    if (id === undefined) return;
    const list = byId.get(id);
    if (list) list.push(i);
    else byId.set(id, [i]);
  });
  for (const [id, positions] of byId) {
    if (positions.length < 2) continue;
    if (options.allowOrdered) {
      const orders = positions.map((p) => {
        const c = checked[p]!;
        return c.ok ? c.value.version.split('#')[0] : undefined;
      });
      const distinct = new Set(orders);
      if (!orders.includes(undefined) && distinct.size === orders.length) continue;
    }
    const where = positions.map((p) => describe(checked[p]!.value.ref)).join(', ');
    for (const p of positions) {
      const c = checked[p]!;
      const duplicate: HrFieldError = {
        field: flow.matching.joinKey,
        reason: options.allowOrdered
          ? `employee ID appears more than once in this upload without distinct times (${where})`
          : `employee ID appears more than once in this upload (${where}); none of them was sent`,
      };
      checked[p] = {
        ok: false,
        value: { ref: c.value.ref, employeeId: id, errors: [...(c.ok ? [] : c.value.errors), duplicate] },
      };
    }
  }
  return checked;
}
