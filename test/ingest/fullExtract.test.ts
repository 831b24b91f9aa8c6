// full=true extracts: managed workers missing from the file are reported, or terminated when the flow says so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveStage } from '../../shared/flows';
import { CSV_HEADER, csvRow, csvTerminateFlow, harness, post } from './support';

const stored = (id: string) => ({
  WorkerID: id,
  WorkerStatus: 'Active',
  WorkerType: 'Employee',
  FirstName: 'Old',
  LastName: 'Worker',
  HireDate: '2015-01-01',
  OnLeave: 'False',
});

function extract(ids: string[]): string {
  return [CSV_HEADER, ...ids.map((id) => csvRow({ WorkerID: id }))].join('\n');
}

test('report policy: missing managed workers are listed and nothing is sent for them', async () => {
  const h = harness();
  h.managed.push(
    { employeeId: '1', phase: 'active', snapshot: stored('1') },
    { employeeId: '2', phase: 'active', snapshot: stored('2') },
    { employeeId: '3', phase: 'terminated', snapshot: stored('3') },
  );
  const r = await post(h, 'csv-sample', 'text/csv', extract(['1']), { full: 'true' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.fullExtract, {
    policy: 'report',
    managedWorkers: 2,
    missing: [{ employeeId: '2', outcome: 'reported' }],
  });
  assert.deepEqual(
    h.sender.sent.map((m) => m.employeeId),
    ['1'],
  );
});

test('terminate policy: a termination snapshot built from the stored record is sent', async () => {
  const h = harness();
  h.managed.push(
    { employeeId: '1', phase: 'active', snapshot: stored('1') },
    { employeeId: '2', phase: 'active', snapshot: stored('2') },
  );
  const r = await post(h, 'csv-terminate', 'text/csv', extract(['1']), { full: 'true' });
  assert.equal(r.status, 200);
  const missing = r.body.fullExtract?.missing ?? [];
  assert.equal(missing.length, 1);
  assert.equal(missing[0]!.employeeId, '2');
  assert.equal(missing[0]!.outcome, 'terminated');
  const msg = h.sender.sent.find((m) => m.employeeId === '2');
  assert.ok(msg);
  assert.equal(missing[0]!.trackingId?.startsWith('snapshot:csv-terminate:2:'), true);
  assert.equal(msg.record?.WorkerStatus, 'Inactive');
  assert.equal(msg.record?.FirstName, 'Old');
  assert.equal(resolveStage(csvTerminateFlow, { ...msg.record, OnLeave: false }).stage, 'terminated');
});

test('a worker whose row was rejected is present, not missing', async () => {
  const h = harness();
  h.managed.push({ employeeId: '5', phase: 'active', snapshot: stored('5') });
  const body = [CSV_HEADER, csvRow({ WorkerID: '5', HireDate: 'not a date' })].join('\n');
  const r = await post(h, 'csv-terminate', 'text/csv', body, { full: 'true' });
  assert.equal(r.body.records[0]!.status, 'rejected');
  assert.deepEqual(r.body.fullExtract?.missing, []);
  assert.equal(h.sender.sent.length, 0);
});

test('no termination when a row has no readable employee ID, or no stored record', async () => {
  const h = harness();
  h.managed.push({ employeeId: '1', phase: 'active', snapshot: stored('1') });
  const noId = await post(h, 'csv-terminate', 'text/csv', [CSV_HEADER, csvRow({ WorkerID: '' })].join('\n'), {
    full: 'true',
  });
  assert.equal(noId.body.fullExtract?.missing[0]!.outcome, 'notTerminated');
  assert.match(noId.body.fullExtract?.missing[0]!.reason ?? '', /no readable employee ID/);
  const h2 = harness();
  h2.managed.push({ employeeId: '9', phase: 'active' });
  const noSnapshot = await post(h2, 'csv-terminate', 'text/csv', extract(['1']), { full: 'true' });
  assert.equal(noSnapshot.body.fullExtract?.missing[0]!.outcome, 'notTerminated');
  assert.match(noSnapshot.body.fullExtract?.missing[0]!.reason ?? '', /no stored HR record/);
  assert.equal(h2.sender.sent.filter((m) => m.employeeId === '9').length, 0);
});

test('without full=true nobody is reported missing', async () => {
  const h = harness();
  h.managed.push({ employeeId: '2', phase: 'active', snapshot: stored('2') });
  const r = await post(h, 'csv-terminate', 'text/csv', extract(['1']));
  assert.equal(r.body.fullExtract, undefined);
  assert.equal(h.sender.sent.length, 1);
});
