/** Loading of `hr:` — field definitions and the worker's time zone. */
import { readFormats } from './load-formats';
import type { HrField, HrFieldType, WorkerTimeZone } from './model';
import { isIanaZone } from './time-zone';
import {
  readBoolean,
  readEnum,
  readMap,
  readString,
  required,
  type Located,
  type YamlContext,
} from './yaml-reader';

const FIELD_TYPES: readonly HrFieldType[] = ['string', 'number', 'boolean', 'date', 'datetime'];

export function readTimeZone(
  ctx: YamlContext,
  at: Located | undefined,
  fields: Map<string, HrField>,
): WorkerTimeZone {
  const utc: WorkerTimeZone = { kind: 'fixed', zone: 'UTC' };
  if (!at) return utc;
  const zoneOk = (z: string | undefined, where: Located): z is string => {
    if (z !== undefined && !isIanaZone(z)) ctx.report(where, `"${z}" is not an IANA time zone`);
    return z !== undefined && isIanaZone(z);
  };
  if (typeof (at.node as { value?: unknown })?.value === 'string') {
    const zone = readString(ctx, at);
    return zoneOk(zone, at) ? { kind: 'fixed', zone } : utc;
  }
  const m = readMap(ctx, at, ['field', 'fallback']);
  if (!m) return utc;
  const fAt = required(ctx, m, at, 'field');
  const fbAt = required(ctx, m, at, 'fallback');
  const field = fAt && readString(ctx, fAt);
  if (fAt && field !== undefined && !fields.has(field)) ctx.report(fAt, `unknown HR field "${field}"`);
  const fallback = fbAt && readString(ctx, fbAt);
  if (field === undefined || !fbAt || !zoneOk(fallback, fbAt)) return utc;
  return { kind: 'field', field, fallback };
}

export function readHrFields(ctx: YamlContext, at: Located): Map<string, HrField> {
  const out = new Map<string, HrField>();
  for (const [name, spec] of readMap(ctx, at) ?? []) {
    if (!/^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(name))
      ctx.report(spec, `field name "${name}" may hold only letters, digits, _ . : -`);
    if (typeof (spec.node as { value?: unknown })?.value === 'string') {
      const type = readEnum(ctx, spec, FIELD_TYPES);
      if (type) out.set(name, { name, type, required: false, formats: [], multiValued: false });
      continue;
    }
    const m = readMap(ctx, spec, ['type', 'required', 'formats', 'multiValued']);
    if (!m) continue;
    const tAt = required(ctx, m, spec, 'type');
    const type = tAt && readEnum(ctx, tAt, FIELD_TYPES);
    const rAt = m.get('required');
    const fAt = m.get('formats');
    const mvAt = m.get('multiValued');
    const formats = fAt ? readFormats(ctx, fAt) : [];
    if (fAt && type && type !== 'date' && type !== 'datetime')
      ctx.report(fAt, 'formats apply only to date and datetime fields');
    const multiValued = (mvAt && readBoolean(ctx, mvAt)) ?? false;
    if (multiValued && type && type !== 'string') ctx.report(mvAt!, 'only string fields can be multi-valued');
    if (type)
      out.set(name, { name, type, required: (rAt && readBoolean(ctx, rAt)) ?? false, formats, multiValued });
  }
  return out;
}
