/** The published JSON Schema stays in step with the loader. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONDITION_OPERATORS } from '../../shared/flows/load-rules';
import { parseFlow } from '../../shared/flows/loader';
import { BASE } from './fixtures';

const ROOT = join(__dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'flows/schema/flow.schema.json'), 'utf8')) as {
  required: string[];
  properties: Record<string, unknown>;
  $defs: { statement: { properties: { operator: { enum: string[] } } } };
};

describe('flow JSON Schema', () => {
  it('is a draft 2020-12 schema with the top-level keys the loader accepts', () => {
    assert.equal(
      (schema as unknown as { $schema: string }).$schema,
      'https://json-schema.org/draft/2020-12/schema',
    );
    for (const key of Object.keys(schema.properties)) {
      // The loader rejects unknown keys, so a key the schema allows must load (or fail for another reason).
      const text = `${BASE}${key}: ~\n`;
      try {
        parseFlow(text);
      } catch (err) {
        assert.doesNotMatch(String((err as Error).message), /unknown key/, key);
      }
    }
    const loaderRequired = ['version', 'name', 'connection', 'hr', 'matching', 'status', 'naming'];
    assert.deepEqual([...schema.required].sort(), loaderRequired.sort());
  });
  it('lists the scoping-filter operators the loader accepts', () => {
    assert.deepEqual(schema.$defs.statement.properties.operator.enum, [...CONDITION_OPERATORS]);
  });
  it('every $ref points at a definition', () => {
    const text = readFileSync(join(ROOT, 'flows/schema/flow.schema.json'), 'utf8');
    const refs = [...text.matchAll(/"\$ref": "#\/\$defs\/([A-Za-z]+)"/g)].map((m) => m[1]);
    assert.ok(refs.length > 10);
    const defs = (schema as unknown as { $defs: Record<string, unknown> }).$defs;
    for (const r of refs) assert.ok(r in defs, r);
  });
});
