/** Loader behaviour beyond errors: defaults, anchors, key text, model shape. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFlow } from '../../shared/flows/loader';
import { BASE, variant } from './fixtures';

describe('flow loader', () => {
  it('fills documented defaults', () => {
    const flow = parseFlow(BASE);
    assert.deepEqual(flow.stages.run, ['hire', 'update', 'leave', 'termination']);
    assert.deepEqual(flow.stages.hire, {
      createDaysBeforeStart: 0,
      enableOn: 'startDate',
      initialCredential: { kind: 'temporaryAccessPass', lifetimeMinutes: 480 },
    });
    assert.equal(flow.stages.update.groupRetention, 'managed-only');
    assert.equal(flow.stages.leave.fmla.disable, true);
    assert.equal(flow.stages.termination.removeLicenses, true);
    assert.deepEqual(flow.stages.delete, {});
    assert.deepEqual(flow.guard, {
      window: 'PT1H',
      windowMs: 3_600_000,
      maxDisables: 25,
      maxDeletes: 10,
      maxGroupRemovals: 200,
    });
    assert.deepEqual(flow.fullExtract, { missingWorkers: 'report' });
    assert.deepEqual(flow.naming.mail, []);
    assert.equal(flow.naming.keepOldAddressAsAlias, true);
    assert.deepEqual(flow.hr.timeZone, { kind: 'fixed', zone: 'Europe/Berlin' });
    assert.deepEqual(flow.groups, { defaults: [], rules: [], exclusive: [] });
    assert.equal(flow.manager, undefined);
    assert.deepEqual(flow.status.overrides, []);
  });
  it('compiles attribute and naming expressions once, recording the attributes they read', () => {
    const flow = parseFlow(BASE);
    assert.equal(flow.attributes.displayName.source, 'Join(" ", [First], [Last])');
    assert.deepEqual(flow.attributes.displayName.attributes, ['First', 'Last']);
    assert.equal(flow.naming.userPrincipalName.length, 1);
  });
  it('is plain data (JSON round trip keeps it equal)', () => {
    const flow = parseFlow(
      `${BASE}groups:\n  rules:\n    - when: { attribute: Level, operator: GREATER_THAN, value: 3 }\n      grant: [G]\n`,
    );
    assert.deepEqual(JSON.parse(JSON.stringify(flow)), flow);
  });
  it('resolves YAML anchors and aliases', () => {
    const flow = parseFlow(`${BASE}groups:
  rules:
    - when: &seniors { attribute: Level, operator: GREATER_THAN, value: '4' }
      grant: &seniorGroups [Seniors, Mentors]
licenses:
  rules:
    - when: *seniors
      grant: *seniorGroups
`);
    assert.deepEqual(flow.licenses.rules[0], flow.groups.rules[0]);
    assert.deepEqual(flow.licenses.rules[0].grant, ['Seniors', 'Mentors']);
  });
  it('status values are taken as written, even when YAML would read them as booleans or numbers', () => {
    const flow = parseFlow(
      variant(
        'values: { Active: active, Gone: terminated }',
        'values: { true: active, 0: terminated, 1.50: retired }',
      ),
    );
    assert.deepEqual(Object.keys(flow.status.values).sort(), ['0', '1.50', 'true']);
  });
  it('operators may be written in lower case or with underscores', () => {
    const flow = parseFlow(
      `${BASE}groups:\n  rules:\n    - when: { attribute: First, operator: not_equals, value: x }\n      grant: [G]\n`,
    );
    assert.equal(flow.groups.rules[0].when.anyOf[0].allOf[0].operator, 'NOT EQUALS');
  });
});
