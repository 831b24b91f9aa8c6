import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePlan, encodePlan } from '../../shared/engine/plan/codec';
import { renderPlan } from '../../shared/engine/plan/render';
import { plan } from '../../shared/engine/planner/plan';
import { desired, NOW, observed, policy } from './fixtures';

const joiner = () =>
  plan(
    desired({
      decision: { phase: 'prehire', nextChangeAt: '2026-03-20T04:00:00.000Z', nextChange: 'startDate' },
    }),
    observed({
      user: null,
      groups: [],
      licenses: [],
      freeNames: { userPrincipalName: 'ada.lovelace@contoso.test' },
    }),
    policy(),
    NOW,
  );

test('encode → decode gives an equal plan', () => {
  const p = joiner();
  assert.deepEqual(decodePlan(encodePlan(p)), p);
  assert.equal(p.schemaVersion, 1);
  assert.equal(p.snapshot.version, '1');
  assert.equal(p.observation.objectId, null);
  assert.match(p.observation.hash, /^[0-9a-f]{32}$/);
});

test('decode refuses other schemas, unknown kinds and reasons, dangling and cyclic dependencies', () => {
  const p = joiner();
  const bad = (
    mutate: (raw: Record<string, unknown> & { operations: Record<string, unknown>[] }) => void,
  ) => {
    const raw = JSON.parse(encodePlan(p));
    mutate(raw);
    assert.throws(
      () => decodePlan(JSON.stringify(raw)),
      (e: { code?: string }) => e.code === 'TENURE_PLAN_INVALID',
    );
  };
  bad((r) => (r.schemaVersion = 2));
  bad((r) => (r.operations[0].kind = 'formatDisk'));
  bad((r) => (r.operations[0].reason = 'because'));
  bad((r) => (r.operations[1].dependsOn = ['missing']));
  bad((r) => (r.operations[0].dependsOn = [r.operations[1].id as string]));
  bad((r) => (r.operations[1].id = r.operations[0].id));
  assert.throws(
    () => decodePlan('{'),
    (e: { code?: string }) => e.code === 'TENURE_PLAN_INVALID',
  );
});

test('renders a readable diff; an empty plan says so', () => {
  const text = renderPlan(joiner());
  assert.match(text, /Worker E100 in flow workday: stage prehire, next change at 2026-03-20T04:00:00.000Z/);
  assert.match(text, /\+ createUser credential: password {2}\[preHire\]/);
  assert.match(text, /userPrincipalName: "ada.lovelace@contoso.test"/);
  assert.match(text, /\+ addGroupMember group Sales {2}\[groupGranted\]/);
  assert.match(text, /@ scheduleFollowUp at 2026-03-20T04:00:00.000Z \(startDateReached\)/);
  const mover = plan(
    desired({ attributes: { ...desired().attributes, department: 'Marketing' } }),
    observed(),
    policy(),
    NOW,
  );
  assert.match(renderPlan(mover), /department: "Sales" -> "Marketing"/);
  assert.match(renderPlan(plan(desired(), observed(), policy(), NOW)), /No changes/);
});
