/** The shipped example flows load, their examples pass, and a wrong expectation is caught. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runExample, runExamples } from '../../shared/flows/examples';
import { loadFlow, parseFlow } from '../../shared/flows/loader';
import { evaluateAttributes, namingCandidates } from '../../shared/flows/mapping';
import { seededRandom } from '../../shared/expressions/evaluate';

const ROOT = join(__dirname, '..', '..', '..');
const FLOWS = ['flows/workday.yaml', 'flows/csv-sample.yaml'];

describe('example flows', () => {
  for (const file of FLOWS) {
    it(`${file} loads and every example passes`, () => {
      const flow = loadFlow(join(ROOT, file));
      assert.equal(flow.connection, 'demo');
      assert.ok(flow.examples.length >= 5);
      const results = runExamples(flow);
      for (const r of results) assert.ok(r.ok, `${r.name}: ${r.failures.join('; ')}`);
    });
  }
  it('a wrong expectation fails with a readable difference', () => {
    const flow = loadFlow(join(ROOT, 'flows/csv-sample.yaml'));
    const ex = flow.examples[0];
    const broken = {
      ...ex,
      expect: {
        ...ex.expect,
        attributes: { ...ex.expect.attributes, displayName: 'Someone Else' },
        groups: ['All Workers'],
      },
    };
    const r = runExample(flow, broken);
    assert.equal(r.ok, false);
    assert.ok(r.failures.some((f) => f === 'displayName: expected "Someone Else", got "Talya Fleeta"'));
    assert.ok(r.failures.some((f) => f.startsWith('groups: expected ["All Workers"]')));
  });
  it('an expected skip that is not skipped fails, and vice versa', () => {
    const flow = loadFlow(join(ROOT, 'flows/csv-sample.yaml'));
    const ex = flow.examples[0];
    assert.equal(runExample(flow, { ...ex, expect: { attributes: { jobTitle: null } } }).ok, false);
    const ex2 = flow.examples[1];
    assert.equal(runExample(flow, { ...ex2, expect: { attributes: { streetAddress: 'x' } } }).ok, false);
  });
  it("the CSV sample maps the first record of Microsoft's sample file", () => {
    const flow = loadFlow(join(ROOT, 'flows/csv-sample.yaml'));
    const csv =
      'WorkerID,WorkerStatus,WorkerType,UserID,FirstName,LastName,FullName,GenderPronoun,ManagerID,HireDate,OnLeave,Department,Division,CostCenter,Company,Location,JobTitle,StreetAddress,City,CountryCode,OfficePhone,Custom01,Custom02,ZipCode';
    const row =
      '1513,Active,Employee,EMP1513,Ginnie,Fadiman,Ginnie Fadiman,HE/HIM,1959,2010-07-10,False,Product Engineering,Food,CC3035,Woodgrove,Asia Pacific,Project Manager,101 Woodgrove Way,Frankfurt,UK,259-915-1098,Y1083,,79985';
    const cols = csv.split(',');
    assert.deepEqual(
      cols,
      flow.hr.fields.map((f) => f.name),
      'the flow declares exactly the sample columns, in order',
    );
    const values = row.split(',');
    const record = Object.fromEntries(cols.map((c, i) => [c, values[i] === '' ? null : values[i]]));
    const clock = { now: new Date('2025-01-01T00:00:00Z'), random: seededRandom(1) };
    const mapped = evaluateAttributes(flow, record, clock);
    assert.deepEqual(mapped.errors, []);
    assert.equal(mapped.attributes.displayName, 'Ginnie Fadiman');
    assert.equal(mapped.attributes.usageLocation, 'GB');
    assert.deepEqual(namingCandidates(flow, record, clock).userPrincipalName, [
      'ginnie.fadiman@contoso.com',
      'g.fadiman@contoso.com',
      'emp1513@contoso.com',
    ]);
  });
  it('loadFlow equals parseFlow of the same text', () => {
    const path = join(ROOT, 'flows/workday.yaml');
    assert.deepEqual(loadFlow(path), parseFlow(readFileSync(path, 'utf8'), path));
  });
});
