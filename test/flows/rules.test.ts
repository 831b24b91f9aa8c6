/** Conditions (scoping-filter semantics), entitlements, stage resolution and effective dates. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateCondition, evaluateStatement } from '../../shared/flows/conditions';
import { evaluateEntitlements, isGuidRef, managedEntitlements } from '../../shared/flows/entitlements';
import { parseFlow } from '../../shared/flows/loader';
import type { Condition, ConditionOperator } from '../../shared/flows/model';
import {
  createInstant,
  enableInstant,
  resolveStage,
  terminationInstant,
  UnmappedStatusError,
} from '../../shared/flows/stage';
import { BASE, variant } from './fixtures';

const st = (attribute: string, operator: ConditionOperator, value?: string): boolean =>
  evaluateStatement(value === undefined ? { attribute, operator } : { attribute, operator, value }, {
    s: 'Sales',
    n: 10,
    t: 'true',
    f: false,
    e: '',
    m: ['DE', 'FR'],
    x: null,
  });

describe('conditions', () => {
  it('every operator', () => {
    assert.equal(st('s', 'EQUALS', 'Sales'), true);
    assert.equal(st('s', 'EQUALS', 'sales'), false, 'case-sensitive');
    assert.equal(st('s', 'NOT EQUALS', 'sales'), true);
    assert.equal(st('x', 'NOT EQUALS', 'a'), true);
    assert.equal(st('t', 'IS TRUE'), true);
    assert.equal(st('f', 'IS TRUE'), false);
    assert.equal(st('f', 'IS FALSE'), true);
    assert.equal(st('x', 'IS FALSE'), false);
    assert.equal(st('x', 'IS NULL'), true);
    assert.equal(st('e', 'IS NULL'), true, 'empty counts as null');
    assert.equal(st('s', 'IS NOT NULL'), true);
    assert.equal(st('s', 'REGEX MATCH', '^Sal'), true);
    assert.equal(st('s', 'REGEX MATCH', 'les$'), true, 'unanchored search');
    assert.equal(st('s', 'NOT REGEX MATCH', '^X'), true);
    assert.equal(st('n', 'GREATER_THAN', '9'), true);
    assert.equal(st('n', 'GREATER_THAN', '10'), false);
    assert.equal(st('n', 'GREATER_THAN_OR_EQUALS', '10'), true);
    assert.equal(st('n', 'LESS_THAN', '11'), true);
    assert.equal(st('n', 'LESS_THAN_OR_EQUALS', '9'), false);
    assert.equal(st('s', 'GREATER_THAN', '0'), false, 'a non-integer never compares');
    assert.equal(st('x', 'LESS_THAN', '5'), false);
    assert.equal(st('s', 'INCLUDES', 'ale'), true);
    assert.equal(st('s', 'INCLUDES', 'ALE'), false, 'case-sensitive');
    assert.equal(st('s', 'NOT INCLUDES', 'xyz'), true);
  });
  it('multi-valued attributes: any value for positive operators, none for negative ones', () => {
    assert.equal(st('m', 'EQUALS', 'FR'), true);
    assert.equal(st('m', 'NOT EQUALS', 'FR'), false);
    assert.equal(st('m', 'NOT EQUALS', 'US'), true);
  });
  it('AND within a clause, OR across clauses', () => {
    const c: Condition = {
      anyOf: [
        {
          allOf: [
            { attribute: 'a', operator: 'EQUALS', value: '1' },
            { attribute: 'b', operator: 'EQUALS', value: '2' },
          ],
        },
        { allOf: [{ attribute: 'c', operator: 'IS TRUE' }] },
      ],
    };
    assert.equal(evaluateCondition(c, { a: '1', b: '2' }), true);
    assert.equal(evaluateCondition(c, { a: '1', b: '3' }), false);
    assert.equal(evaluateCondition(c, { a: '1', b: '3', c: true }), true);
    assert.equal(evaluateCondition(c, {}), false);
  });
});

const RULES = `groups:
  default: [All]
  rules:
    - when: { attribute: First, operator: EQUALS, value: Ann }
      grant: [Ann Fans, Gold]
    - when:
        - { attribute: Level, operator: GREATER_THAN_OR_EQUALS, value: '5' }
        - { attribute: Last, operator: IS NOT NULL }
      grant: [Gold, 9f1c0e5e-1b2a-4c3d-8e9f-0a1b2c3d4e5f]
    - when: { anyOf: [{ attribute: Level, operator: LESS_THAN, value: '2' }, { allOf: [{ attribute: Last, operator: IS NULL }] }] }
      grant: [Bronze]
  exclusive:
    - name: tier
      members:
        - { ref: Gold, priority: 1 }
        - { ref: Bronze, priority: 5 }
licenses:
  default: [SPE_F1]
  rules:
    - when: { attribute: Level, operator: GREATER_THAN, value: '3' }
      grant: [SPE_E3]
  exclusive:
    - name: m365
      members:
        - { ref: SPE_E3, priority: 1 }
        - { ref: SPE_F1, priority: 2 }
`;

describe('entitlements', () => {
  const flow = parseFlow(`${BASE}${RULES}`);
  it('defaults plus matching rules, exclusive sets keep the best priority', () => {
    assert.deepEqual(evaluateEntitlements(flow, { First: 'Ann', Level: 1, Last: 'Lee' }), {
      groups: ['All', 'Ann Fans', 'Gold'],
      licenses: ['SPE_F1'],
    });
    assert.deepEqual(evaluateEntitlements(flow, { First: 'Bo', Level: 7, Last: 'Lee' }), {
      groups: ['All', 'Gold', '9f1c0e5e-1b2a-4c3d-8e9f-0a1b2c3d4e5f'],
      licenses: ['SPE_E3'],
    });
    assert.deepEqual(evaluateEntitlements(flow, { First: 'Bo', Level: 3 }), {
      groups: ['All', 'Bronze'],
      licenses: ['SPE_F1'],
    });
  });
  it('is pure: same input, same output, input untouched', () => {
    const rec = Object.freeze({ First: 'Ann', Level: 9, Last: 'X' });
    assert.deepEqual(evaluateEntitlements(flow, rec), evaluateEntitlements(flow, rec));
  });
  it('managed set and GUID detection', () => {
    assert.deepEqual(managedEntitlements(flow).groups.sort(), [
      '9f1c0e5e-1b2a-4c3d-8e9f-0a1b2c3d4e5f',
      'All',
      'Ann Fans',
      'Bronze',
      'Gold',
    ]);
    assert.equal(isGuidRef('9f1c0e5e-1b2a-4c3d-8e9f-0a1b2c3d4e5f'), true);
    assert.equal(isGuidRef('Gold'), false);
  });
});

describe('stage resolution and effective dates', () => {
  const flow = parseFlow(
    variant(
      '  startDate: Start\n',
      `  startDate: Start
  lastDayWorked: Start
  overrides:
    - when: { attribute: First, operator: EQUALS, value: OnLeave }
      stage: leave:fmla
`,
    ).replace('createDaysBeforeStart', 'x'),
  );
  it('values, overrides first, unmapped values', () => {
    assert.deepEqual(resolveStage(flow, { Status: 'Active' }), { stage: 'active' });
    assert.deepEqual(resolveStage(flow, { Status: 'Gone' }), { stage: 'terminated' });
    assert.deepEqual(resolveStage(flow, { Status: 'Active', First: 'OnLeave' }), {
      stage: 'leave',
      kind: 'fmla',
    });
    assert.throws(
      () => resolveStage(flow, { Status: 'Paused' }),
      (e: unknown) => e instanceof UnmappedStatusError && e.code === 'TENURE_FLOW_UNMAPPED_STATUS',
    );
    const withOtherwise = parseFlow(
      variant('  startDate: Start\n', '  startDate: Start\n  otherwise: retired\n'),
    );
    assert.deepEqual(resolveStage(withOtherwise, { Status: 'Paused' }), { stage: 'retired' });
  });
  it('enable at start of day in the worker zone; create N days before; terminate after the last day', () => {
    assert.equal(enableInstant(flow, { Start: '2024-07-01' })?.toISOString(), '2024-06-30T22:00:00.000Z');
    assert.equal(enableInstant(flow, { Start: '2024-01-01' })?.toISOString(), '2023-12-31T23:00:00.000Z');
    assert.equal(createInstant(flow, { Start: '2024-07-01' })?.toISOString(), '2024-06-30T22:00:00.000Z');
    const early = parseFlow(`${BASE}stages:\n  hire: { createDaysBeforeStart: 10 }\n`);
    assert.equal(createInstant(early, { Start: '2024-07-11' })?.toISOString(), '2024-06-30T22:00:00.000Z');
    assert.equal(
      terminationInstant(flow, { Start: '2024-03-30' })?.toISOString(),
      '2024-03-30T23:00:00.000Z',
      'DST starts on 31 March',
    );
    assert.equal(enableInstant(flow, {}), undefined);
  });
});
