import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeStage, type StageInputs } from '../../shared/engine/stage/stage';
import { addDays, localDateOf, startOfLocalDay } from '../../shared/engine/stage/zonedTime';

const base: StageInputs = {
  hr: { stage: 'active' },
  timeZone: 'America/New_York',
  createDaysBeforeStart: 7,
  startDate: '2026-03-20',
};

test('start of a local day is the exact UTC instant, across DST', () => {
  assert.equal(
    new Date(startOfLocalDay('2026-03-20', 'America/New_York')).toISOString(),
    '2026-03-20T04:00:00.000Z',
  );
  assert.equal(
    new Date(startOfLocalDay('2026-01-20', 'America/New_York')).toISOString(),
    '2026-01-20T05:00:00.000Z',
  );
  assert.equal(
    new Date(startOfLocalDay('2026-03-20', 'Asia/Tokyo')).toISOString(),
    '2026-03-19T15:00:00.000Z',
  );
  assert.equal(
    new Date(startOfLocalDay('2026-03-20', 'Asia/Kolkata')).toISOString(),
    '2026-03-19T18:30:00.000Z',
  );
  assert.equal(
    new Date(startOfLocalDay('2026-03-29', 'Europe/Berlin')).toISOString(),
    '2026-03-28T23:00:00.000Z',
  );
  assert.equal(
    new Date(startOfLocalDay('2026-03-30', 'Europe/Berlin')).toISOString(),
    '2026-03-29T22:00:00.000Z',
  );
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  assert.equal(localDateOf(Date.parse('2026-03-20T03:59:00Z'), 'America/New_York'), '2026-03-19');
});

test('a future hire is not created before the pre-hire window and wakes at its start', () => {
  const d = computeStage(base, new Date('2026-03-01T00:00:00Z'));
  assert.equal(d.phase, 'notYet');
  assert.equal(d.nextChangeAt, '2026-03-13T04:00:00.000Z'); // 7 days before, EDT (DST began 8 March)
  assert.equal(d.nextChange, 'createAccount');
});

test('inside the pre-hire window the account exists disabled until local start of day', () => {
  const d = computeStage(base, new Date('2026-03-15T00:00:00Z'));
  assert.equal(d.phase, 'prehire');
  assert.equal(d.nextChangeAt, '2026-03-20T04:00:00.000Z');
  assert.equal(computeStage(base, new Date('2026-03-20T03:59:59Z')).phase, 'prehire');
  assert.equal(computeStage(base, new Date('2026-03-20T04:00:00Z')).phase, 'active');
});

test('a future-dated termination stays active until the end of the last day, local time', () => {
  const inputs: StageInputs = {
    ...base,
    hr: { stage: 'terminated' },
    startDate: '2020-01-01',
    lastDayWorked: '2026-03-31',
  };
  const before = computeStage(inputs, new Date('2026-04-01T03:59:00Z'));
  assert.equal(before.phase, 'active');
  assert.equal(before.nextChangeAt, '2026-04-01T04:00:00.000Z');
  assert.equal(before.nextChange, 'termination');
  assert.equal(computeStage(inputs, new Date('2026-04-01T04:00:00Z')).phase, 'terminated');
});

test('deletion N days after termination, then deleted', () => {
  const inputs: StageInputs = {
    ...base,
    hr: { stage: 'terminated' },
    lastDayWorked: '2026-03-31',
    deleteAfterDays: 30,
  };
  const t = computeStage(inputs, new Date('2026-04-02T00:00:00Z'));
  assert.equal(t.phase, 'terminated');
  assert.equal(t.nextChangeAt, '2026-05-01T04:00:00.000Z');
  assert.equal(t.nextChange, 'deletion');
  assert.equal(computeStage(inputs, new Date('2026-05-01T04:00:00Z')).phase, 'deleted');
});

test('termination without a last day dates deletion from when it was first applied', () => {
  const inputs: StageInputs = {
    ...base,
    hr: { stage: 'retired' },
    deleteAfterDays: 10,
    terminatedSince: '2026-03-01T10:00:00.000Z',
  };
  const d = computeStage(inputs, new Date('2026-03-05T00:00:00Z'));
  assert.equal(d.phase, 'retired');
  assert.equal(d.nextChangeAt, '2026-03-11T10:00:00.000Z');
  assert.equal(
    computeStage({ ...inputs, terminatedSince: undefined }, new Date('2026-03-05T00:00:00Z')).nextChangeAt,
    undefined,
  );
});

test('leave carries its kind; active without start date is active', () => {
  assert.deepEqual(computeStage({ ...base, hr: { stage: 'leave', kind: 'fmla' } }, new Date()), {
    phase: 'leave',
    leaveKind: 'fmla',
  });
  assert.deepEqual(computeStage({ ...base, startDate: undefined }, new Date()), { phase: 'active' });
});
