/**
 * Flow file loader: YAML text → validated `Flow`. Every problem in the file is collected and thrown together as
 * one `FlowLoadError` whose issues carry file:line:col (expression errors point inside the expression).
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { CompiledExpression } from '../expressions/compiler';
import { parseIsoDuration } from './duration';
import { isKnownEntraAttribute, OWNED_ATTRIBUTES } from './entra-attributes';
import { FlowLoadError } from './errors';
import { readExpression } from './load-expression';
import { readCondition, readEntitlements } from './load-rules';
import { readStages } from './load-stages';
import { readExamples } from './load-examples';
import { readFormats } from './load-formats';
import {
  FLOW_SCHEMA_VERSION,
  LEAVE_KINDS,
  type Flow,
  type HrField,
  type HrFieldType,
  type MassChangeGuard,
  type Matching,
  type Naming,
  type StageResolution,
  type StatusMapping,
  type StatusOverride,
  type WorkerTimeZone,
} from './model';
import {
  readBoolean,
  readEnum,
  readMap,
  readNumber,
  readScalarText,
  readSeq,
  readString,
  required,
  YamlContext,
  type Located,
} from './yaml-reader';

const TOP_KEYS = [
  'version',
  'name',
  'description',
  'connection',
  'hr',
  'matching',
  'status',
  'stages',
  'attributes',
  'naming',
  'groups',
  'licenses',
  'manager',
  'guard',
  'fullExtract',
  'scim',
  'examples',
];

const FIELD_TYPES: readonly HrFieldType[] = ['string', 'number', 'boolean', 'date', 'datetime'];

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function readTimeZone(
  ctx: YamlContext,
  at: Located | undefined,
  fields: Map<string, HrField>,
): WorkerTimeZone {
  const utc: WorkerTimeZone = { kind: 'fixed', zone: 'UTC' };
  if (!at) return utc;
  const zoneOk = (z: string | undefined, where: Located): z is string => {
    if (z !== undefined && !isValidTimeZone(z)) ctx.report(where, `"${z}" is not an IANA time zone`);
    return z !== undefined && isValidTimeZone(z);
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

function readHrFields(ctx: YamlContext, at: Located): Map<string, HrField> {
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

function readStageResolution(ctx: YamlContext, at: Located): StageResolution | undefined {
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

function fieldRef(
  ctx: YamlContext,
  m: Map<string, Located>,
  parent: Located,
  key: string,
  fields: Map<string, HrField>,
  opts: { required?: boolean; types?: HrFieldType[] } = {},
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
  return name;
}

function readStatus(ctx: YamlContext, at: Located, fields: Map<string, HrField>): StatusMapping | undefined {
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
  const field = fieldRef(ctx, m, at, 'field', fields, { required: true });
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

function readMatching(ctx: YamlContext, at: Located, fields: Map<string, HrField>): Matching | undefined {
  const m = readMap(ctx, at, ['joinKey', 'rehire']);
  if (!m) return undefined;
  const joinKey = fieldRef(ctx, m, at, 'joinKey', fields, { required: true, types: ['string', 'number'] });
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

function readNaming(
  ctx: YamlContext,
  at: Located | undefined,
  known: ReadonlySet<string>,
): Naming | undefined {
  if (!at) {
    ctx.reportAt(0, 'naming', 'missing required key "naming" (at least one userPrincipalName candidate)');
    return undefined;
  }
  const m = readMap(ctx, at, ['userPrincipalName', 'mailNickname', 'mail', 'keepOldAddressAsAlias']);
  if (!m) return undefined;
  const list = (key: string, need: boolean): CompiledExpression[] => {
    const lAt = need ? required(ctx, m, at, key) : m.get(key);
    if (!lAt) return [];
    const items = readSeq(ctx, lAt);
    if (items && items.length === 0 && need) ctx.report(lAt, 'give at least one candidate');
    return (items ?? [])
      .map((i) => readExpression(ctx, i, known))
      .filter((e): e is CompiledExpression => !!e);
  };
  const kAt = m.get('keepOldAddressAsAlias');
  return {
    userPrincipalName: list('userPrincipalName', true),
    mailNickname: list('mailNickname', true),
    mail: list('mail', false),
    keepOldAddressAsAlias: (kAt && readBoolean(ctx, kAt)) ?? true,
  };
}

const DEFAULT_GUARD: MassChangeGuard = {
  window: 'PT1H',
  windowMs: 3_600_000,
  maxDisables: 25,
  maxDeletes: 10,
  maxGroupRemovals: 200,
};

function readGuard(ctx: YamlContext, at: Located | undefined): MassChangeGuard {
  if (!at) return DEFAULT_GUARD;
  const m = readMap(ctx, at, ['window', 'maxDisables', 'maxDeletes', 'maxGroupRemovals']);
  if (!m) return DEFAULT_GUARD;
  const wAt = m.get('window');
  let window = DEFAULT_GUARD.window;
  let windowMs = DEFAULT_GUARD.windowMs;
  if (wAt) {
    const w = readString(ctx, wAt);
    const ms = w === undefined ? undefined : parseIsoDuration(w);
    if (w !== undefined && ms === undefined)
      ctx.report(wAt, `"${w}" is not an ISO 8601 duration such as PT1H or P1D`);
    if (w !== undefined && ms !== undefined) [window, windowMs] = [w, ms];
  }
  const n = (k: 'maxDisables' | 'maxDeletes' | 'maxGroupRemovals'): number => {
    const c = m.get(k);
    return (c && readNumber(ctx, c, { integer: true, min: 0 })) ?? DEFAULT_GUARD[k];
  };
  return {
    window,
    windowMs,
    maxDisables: n('maxDisables'),
    maxDeletes: n('maxDeletes'),
    maxGroupRemovals: n('maxGroupRemovals'),
  };
}

/** Parses flow YAML text. `fileName` is used in error positions. Throws `FlowLoadError`. */
export function parseFlow(text: string, fileName = '<inline>'): Flow {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const ctx = new YamlContext(fileName, text, lineCounter);
  for (const e of [...doc.errors, ...doc.warnings]) {
    ctx.reportAt(e.pos[0], '', `YAML: ${e.message.split('\n')[0]}`);
  }
  if (doc.errors.length > 0) throw new FlowLoadError('TENURE_FLOW_INVALID', ctx.issues);
  const root: Located = { node: doc.contents, path: '', offset: 0 };
  const top = readMap(ctx, root, TOP_KEYS);
  if (!top) throw new FlowLoadError('TENURE_FLOW_INVALID', ctx.issues);

  const versionAt = required(ctx, top, root, 'version');
  if (versionAt) {
    const v = readNumber(ctx, versionAt);
    if (v !== undefined && v !== FLOW_SCHEMA_VERSION)
      ctx.report(versionAt, `unsupported version ${v} (expected ${FLOW_SCHEMA_VERSION})`);
  }
  const nameAt = required(ctx, top, root, 'name');
  const name = nameAt && readString(ctx, nameAt);
  if (nameAt && name !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(name))
    ctx.report(nameAt, 'use 1-64 letters, digits, - or _');
  const descAt = top.get('description');
  const description = descAt && readString(ctx, descAt, { nonEmpty: false });
  const connAt = required(ctx, top, root, 'connection');
  const connection = connAt && readString(ctx, connAt);

  const hrAt = required(ctx, top, root, 'hr');
  const hrMap = hrAt && readMap(ctx, hrAt, ['fields', 'timeZone']);
  const fieldsAt = hrMap && required(ctx, hrMap, hrAt!, 'fields');
  const fields = fieldsAt ? readHrFields(ctx, fieldsAt) : new Map<string, HrField>();
  const fieldNames: ReadonlySet<string> = new Set(fields.keys());
  const timeZone = readTimeZone(ctx, hrMap?.get('timeZone'), fields);

  const matchingAt = required(ctx, top, root, 'matching');
  const matching = matchingAt && readMatching(ctx, matchingAt, fields);
  const statusAt = required(ctx, top, root, 'status');
  const status = statusAt && readStatus(ctx, statusAt, fields);
  const stages = readStages(ctx, top.get('stages'), fieldNames);

  const attributes: Record<string, CompiledExpression> = {};
  const attrsAt = top.get('attributes');
  for (const [attr, exprAt] of (attrsAt && readMap(ctx, attrsAt)) ?? []) {
    if (OWNED_ATTRIBUTES[attr]) {
      ctx.report(exprAt, `"${attr}" is set by ${OWNED_ATTRIBUTES[attr]}, not by attributes`);
      continue;
    }
    if (!isKnownEntraAttribute(attr)) {
      ctx.report(exprAt, `unknown Entra user attribute "${attr}"`);
      continue;
    }
    const e = readExpression(ctx, exprAt, fieldNames);
    if (e) attributes[attr] = e;
  }
  const naming = readNaming(ctx, top.get('naming'), fieldNames);
  const groups = readEntitlements(ctx, top.get('groups'), fieldNames);
  const licenses = readEntitlements(ctx, top.get('licenses'), fieldNames);

  const mgrAt = top.get('manager');
  const managerField = mgrAt && readString(ctx, mgrAt);
  if (mgrAt && managerField !== undefined && !fields.has(managerField))
    ctx.report(mgrAt, `unknown HR field "${managerField}"`);

  const guard = readGuard(ctx, top.get('guard'));
  const feAt = top.get('fullExtract');
  const fem = feAt && readMap(ctx, feAt, ['missingWorkers']);
  const mwAt = fem?.get('missingWorkers');
  const missingWorkers = (mwAt && readEnum(ctx, mwAt, ['report', 'terminate'] as const)) ?? 'report';

  const scim: Record<string, string> = {};
  const scimAt = top.get('scim');
  for (const [path, fAt] of (scimAt && readMap(ctx, scimAt)) ?? []) {
    const f = readScalarText(ctx, fAt);
    if (f !== undefined && !fields.has(f)) ctx.report(fAt, `unknown HR field "${f}"`);
    else if (f !== undefined) scim[path] = f;
  }
  const examplesAt = top.get('examples');
  const examples = examplesAt ? readExamples(ctx, examplesAt) : [];

  if (
    ctx.issues.length > 0 ||
    !matching ||
    !status ||
    !naming ||
    name === undefined ||
    connection === undefined
  ) {
    throw new FlowLoadError('TENURE_FLOW_INVALID', ctx.issues);
  }
  return {
    version: FLOW_SCHEMA_VERSION,
    name,
    ...(description ? { description } : {}),
    connection,
    sourceFile: fileName,
    hr: { fields: [...fields.values()], timeZone },
    matching,
    status,
    stages,
    attributes,
    naming,
    groups,
    licenses,
    ...(managerField ? { manager: { field: managerField } } : {}),
    guard,
    fullExtract: { missingWorkers },
    scim,
    examples,
  };
}

/** Reads and parses a flow file. Throws `FlowLoadError` (TENURE_FLOW_UNREADABLE when the file cannot be read). */
export function loadFlow(path: string): Flow {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new FlowLoadError(
      'TENURE_FLOW_UNREADABLE',
      [{ file: path, line: 1, column: 1, path: '', message: `cannot read file (${code})` }],
      {
        cause: err,
      },
    );
  }
  return parseFlow(text, path);
}
