/**
 * Flow file loader: YAML text → validated `Flow`. Every problem in the file is collected and thrown together as
 * one `FlowLoadError` whose issues carry file:line:col (expression errors point inside the expression).
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { CompiledExpression } from '../expressions/compiler';
import { isKnownEntraAttribute, OWNED_ATTRIBUTES } from './entra-attributes';
import { FlowLoadError } from './errors';
import { readExpression } from './load-expression';
import { readEntitlements } from './load-rules';
import { readHrFields, readTimeZone } from './load-hr';
import { readMatching, readStatus } from './load-status';
import { readGuard, readNaming } from './load-naming';
import { readStages } from './load-stages';
import { readExamples } from './load-examples';
import { FLOW_SCHEMA_VERSION, type Flow, type HrField } from './model';
import {
  readEnum,
  readMap,
  readNumber,
  readScalarText,
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

/** Parses flow YAML text. `fileName` is used in error positions. Throws `FlowLoadError`. */
export function parseFlow(text: string, fileName = '<inline>'): Flow {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const ctx = new YamlContext(fileName, text, lineCounter, doc);
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
