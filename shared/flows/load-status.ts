/** Loading of `matching:` and `status:` (HR status values and overrides → lifecycle stages). */
import { readCondition } from './load-rules';
import {
  LEAVE_KINDS,
  type HrField,
  type HrFieldType,
  type Matching,
  type StageResolution,
  type StatusMapping,
  type StatusOverride,
} from './model';
import {
  readMap,
  readNumber,
  readSeq,
  readString,
  required,
  type Located,
  type YamlContext,
} from './yaml-reader';

export function readStageResolution(ctx: YamlContext, at: Located): StageResolution | undefined {
  const text = readString(ctx, at);
  if (text === undefined) return undefined;
  if (text === 'active' || text === 'terminated' || text === 'retired') return { stage: text };
  const m = /^leave:(.+)$/.exec(text);
  const kind = m && LEAVE_KINDS.find((k) => k === m[1]);
  if (kind) return { stage: 'leave', kind };
  ctx.report(
    at,
    `"${text}" is not a stage (active, terminated, retired, leave:${LEAVE_KINDS.join('|leave:')})`,
  );
  return undefined;
}

export function fieldRef(
  ctx: YamlContext,
  m: Map<string, Located>,
  parent: Located,
  key: string,
  fields: Map<string, HrField>,
  opts: { required?: boolean; types?: HrFieldType[]; mustBeRequiredField?: boolean } = {},
): string | undefined {
  const at = opts.required ? required(ctx, m, parent, key) : m.get(key);
  const name = at && readString(ctx, at);
  if (!at || name === undefined) return undefined;
  const f = fields.get(name);
  if (!f) {
    ctx.report(at, `unknown HR field "${name}" (not in hr.fields)`);
    return undefined;
  }
  if (opts.types && !opts.types.includes(f.type))
    ctx.report(at, `HR field "${name}" must be of type ${opts.types.join(' or ')}`);
  // A record without it could never be matched or staged, so the field definition must say required.
  if (opts.mustBeRequiredField && !f.required)
    ctx.report(at, `HR field "${name}" must be declared required: true`);
  return name;
}

export function readStatus(
  ctx: YamlContext,
  at: Located,
  fields: Map<string, HrField>,
): StatusMapping | undefined {
  const m = readMap(ctx, at, [
    'field',
    'values',
    'overrides',
    'otherwise',
    'startDate',
    'lastDayWorked',
    'asOf',
  ]);
  if (!m) return undefined;
  const field = fieldRef(ctx, m, at, 'field', fields, { required: true, mustBeRequiredField: true });
  const valuesAt = required(ctx, m, at, 'values');
  const values: Record<string, StageResolution> = {};
  const vm = valuesAt && readMap(ctx, valuesAt);
  for (const [hrValue, stageAt] of vm ?? []) {
    const r = readStageResolution(ctx, stageAt);
    if (r) values[hrValue] = r;
  }
  if (vm && vm.size === 0) ctx.report(valuesAt!, 'map at least one HR status value');
  const oAt = m.get('otherwise');
  const otherwise = oAt && readStageResolution(ctx, oAt);
  const overrides: StatusOverride[] = [];
  const ovAt = m.get('overrides');
  for (const o of (ovAt && readSeq(ctx, ovAt)) ?? []) {
    const om = readMap(ctx, o, ['when', 'stage']);
    if (!om) continue;
    const wAt = required(ctx, om, o, 'when');
    const sAt = required(ctx, om, o, 'stage');
    const when = wAt && readCondition(ctx, wAt, new Set(fields.keys()));
    const stage = sAt && readStageResolution(ctx, sAt);
    if (when && stage) overrides.push({ when, stage });
  }
  const dateTypes: HrFieldType[] = ['date', 'datetime'];
  const startDate = fieldRef(ctx, m, at, 'startDate', fields, { required: true, types: dateTypes });
  const lastDayWorked = fieldRef(ctx, m, at, 'lastDayWorked', fields, { types: dateTypes });
  const asOf = fieldRef(ctx, m, at, 'asOf', fields);
  if (field === undefined || startDate === undefined) return undefined;
  return {
    field,
    values,
    overrides,
    startDate,
    ...(otherwise ? { otherwise } : {}),
    ...(lastDayWorked ? { lastDayWorked } : {}),
    ...(asOf ? { asOf } : {}),
  };
}

export function readMatching(
  ctx: YamlContext,
  at: Located,
  fields: Map<string, HrField>,
): Matching | undefined {
  const m = readMap(ctx, at, ['joinKey', 'rehire']);
  if (!m) return undefined;
  const joinKey = fieldRef(ctx, m, at, 'joinKey', fields, {
    required: true,
    types: ['string', 'number'],
    mustBeRequiredField: true,
  });
  const rAt = m.get('rehire');
  let rehire: Matching['rehire'];
  if (rAt) {
    const rm = readMap(ctx, rAt, ['previousIdField', 'reuseAccountWithinDays']);
    if (rm) {
      const previousIdField = fieldRef(ctx, rm, rAt, 'previousIdField', fields);
      const dAt = rm.get('reuseAccountWithinDays');
      const days = dAt ? readNumber(ctx, dAt, { integer: true, min: 0, max: 3650 }) : 0;
      rehire = { reuseAccountWithinDays: days ?? 0, ...(previousIdField ? { previousIdField } : {}) };
    }
  }
  if (joinKey === undefined) return undefined;
  return rehire ? { joinKey, rehire } : { joinKey };
}
