// The published worker-message JSON Schema and example agree with the engine's message parser and with what
// ingestion sends.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { APP_ROOT } from '../../devhost/loadApp';
import { parseHrRecord } from '../../shared/flows';
import { parseWorkerMessage } from '../../shared/messaging/message';
import { csvSampleFlow, fixture, harness, post } from './support';

interface Schema {
  required: string[];
  properties: Record<string, { enum?: string[]; type?: string | string[] }>;
  additionalProperties: boolean;
  then: { required: string[] };
}

const schema = JSON.parse(
  readFileSync(join(APP_ROOT, 'docs', 'schemas', 'worker-message.schema.json'), 'utf8'),
) as Schema;
const example = JSON.parse(
  readFileSync(join(APP_ROOT, 'docs', 'schemas', 'worker-message.example.json'), 'utf8'),
) as Record<string, unknown>;

/** The subset of JSON Schema the document uses: required, enum, top-level types, no extra properties. */
function conforms(message: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of schema.required) if (!(key in message)) problems.push(`${key} missing`);
  if (message.kind === 'snapshot')
    for (const key of schema.then.required) if (!(key in message)) problems.push(`${key} missing`);
  for (const [key, value] of Object.entries(message)) {
    const p = schema.properties[key];
    if (!p) {
      if (!schema.additionalProperties) problems.push(`${key} not allowed`);
      continue;
    }
    if (p.enum && !p.enum.includes(String(value))) problems.push(`${key} not in enum`);
    const t = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    const types = p.type === undefined ? [] : Array.isArray(p.type) ? p.type : [p.type];
    const ok = types.length === 0 || types.includes(t) || (t === 'number' && types.includes('integer'));
    if (!ok && !(types.includes('object') && t === 'object')) problems.push(`${key} has type ${t}`);
  }
  return problems;
}

test('the example is a valid worker message for the engine and a valid csv-sample record', () => {
  assert.deepEqual(conforms(example), []);
  const parsed = parseWorkerMessage(example);
  assert.equal(parsed.ok, true);
  const hr = parseHrRecord(csvSampleFlow, example.record as Record<string, unknown>);
  assert.equal(hr.ok, true, JSON.stringify(hr));
});

test('the schema says what the parser requires: the required fields and the kinds', () => {
  for (const key of schema.required) {
    const { [key]: _gone, ...rest } = example;
    assert.equal(parseWorkerMessage(rest).ok, false, `${key} is required by the parser too`);
  }
  const { record: _r, ...noRecord } = example;
  assert.equal(parseWorkerMessage(noRecord).ok, false);
  for (const kind of schema.properties.kind!.enum!)
    assert.equal(parseWorkerMessage({ ...example, kind }).ok, true);
  assert.equal(parseWorkerMessage({ ...example, kind: 'other' }).ok, false);
});

test('what ingestion sends conforms to the published schema', async () => {
  const h = harness();
  await post(h, 'csv-sample', 'text/csv', fixture('microsoft-csv-with-2-records.csv'));
  assert.equal(h.sender.sent.length, 2);
  for (const m of h.sender.sent) {
    assert.deepEqual(conforms(m as unknown as Record<string, unknown>), []);
    assert.equal(parseWorkerMessage(JSON.parse(JSON.stringify(m))).ok, true);
  }
});
