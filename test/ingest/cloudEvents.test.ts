// CloudEvents 1.0 structured and batch: type, subject vs join key, id deduplication, time ordering, effectivetime
// scheduling, malformed JSON, wrong content type, unknown flow.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingest, WORKER_SNAPSHOT_TYPE } from '../../shared/ingest';
import { harness, post, NOW } from './support';

const ONE = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';

function record(id: string, over: Record<string, unknown> = {}) {
  return {
    WorkerID: id,
    WorkerStatus: 'Active',
    WorkerType: 'Employee',
    FirstName: 'Ada',
    LastName: 'Lovelace',
    HireDate: '2026-04-01',
    ...over,
  };
}

function event(id: string, employee: string, over: Record<string, unknown> = {}) {
  return {
    specversion: '1.0',
    type: WORKER_SNAPSHOT_TYPE,
    source: '/hr/workday',
    id,
    subject: employee,
    time: '2026-03-10T08:00:00Z',
    datacontenttype: 'application/json',
    data: record(employee),
    ...over,
  };
}

test('one structured event is accepted; time orders the version; subject is the employee', async () => {
  const h = harness();
  const r = await post(h, 'csv-sample', ONE, JSON.stringify(event('e-1', '42')));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.format, 'cloudevents');
  const rec = r.body.records[0]!;
  assert.ok(rec.status === 'accepted');
  assert.equal(rec.eventId, 'e-1');
  assert.equal(rec.employeeId, '42');
  assert.ok(rec.version.startsWith('2026-03-10T08:00:00.000Z#'));
  assert.equal(h.sender.sent[0]!.record?.FirstName, 'Ada');
});

test('the subject fills a missing join key, and must equal it when both are present', async () => {
  const h = harness();
  const { WorkerID: _drop, ...noId } = record('x');
  const filled = await post(h, 'csv-sample', ONE, JSON.stringify(event('e-2', '43', { data: noId })));
  assert.equal(filled.body.records[0]!.status, 'accepted');
  assert.equal(h.sender.sent[0]!.record?.WorkerID, '43');
  const clash = await post(h, 'csv-sample', ONE, JSON.stringify(event('e-3', '44', { data: record('45') })));
  const rec = clash.body.records[0]!;
  assert.ok(rec.status === 'rejected');
  assert.deepEqual(
    rec.errors.map((e) => e.field),
    ['WorkerID'],
  );
});

test('the same source and id is the same message id (redelivery is dropped by duplicate detection)', async () => {
  const h = harness();
  const a = await post(h, 'csv-sample', ONE, JSON.stringify(event('e-9', '50')));
  const b = await post(h, 'csv-sample', ONE, JSON.stringify(event('e-9', '50')));
  const other = await post(h, 'csv-sample', ONE, JSON.stringify(event('e-10', '50')));
  const [ta, tb, tc] = [a, b, other].map((x) => {
    const rec = x.body.records[0]!;
    assert.ok(rec.status === 'accepted');
    return rec.trackingId;
  });
  assert.equal(ta, tb);
  assert.notEqual(ta, tc);
});

test('envelope errors are field-level: specversion, type, time, data, attribute names', async () => {
  const h = harness();
  const r = await post(
    h,
    'csv-sample',
    BATCH,
    JSON.stringify([
      event('a', '1', { specversion: '0.3' }),
      event('b', '2', { type: 'com.example.other' }),
      event('c', '3', { time: 'yesterday' }),
      event('d', '4', { data: 'text' }),
      event('e', '5', { Bad_Name: 1 }),
      { ...event('f', '6'), source: undefined },
      42,
    ]),
  );
  assert.equal(r.status, 200);
  assert.deepEqual(
    r.body.records.map((x) => (x.status === 'rejected' ? x.errors.map((e) => e.field).join() : 'ok')),
    ['specversion', 'type', 'time', 'data', 'Bad_Name', 'source', ''],
  );
  assert.deepEqual(
    r.body.records.map((x) => x.index),
    [0, 1, 2, 3, 4, 5, 6],
  );
  assert.equal(h.sender.sent.length, 0);
});

test('a batch with one worker at distinct times is sent in time order; equal times are rejected', async () => {
  const h = harness();
  const r = await post(
    h,
    'csv-sample',
    BATCH,
    JSON.stringify([
      event('late', '7', { time: '2026-03-10T09:00:00Z', data: record('7', { JobTitle: 'Lead' }) }),
      event('early', '7', { time: '2026-03-10T08:00:00Z' }),
      event('x1', '8'),
      event('x2', '8', { data: record('8', { JobTitle: 'Other' }) }),
    ]),
  );
  assert.deepEqual(
    r.body.records.map((x) => x.status),
    ['accepted', 'accepted', 'rejected', 'rejected'],
  );
  assert.deepEqual(
    h.sender.sent.map((m) => [m.employeeId, m.record?.JobTitle ?? null]),
    [
      ['7', null],
      ['7', 'Lead'],
    ],
  );
});

test('effectivetime in the future schedules delivery; in the past it is sent now', async () => {
  const h = harness();
  const future = '2026-04-01T00:00:00Z';
  const r = await post(
    h,
    'csv-sample',
    BATCH,
    JSON.stringify([
      event('s1', '60', { effectivetime: future }),
      event('s2', '61', { effectivetime: '2026-01-01T00:00:00Z' }),
    ]),
  );
  assert.deepEqual(r.body.summary, { records: 2, accepted: 2, rejected: 0, failed: 0, scheduled: 1 });
  const rec = r.body.records[0]!;
  assert.ok(rec.status === 'accepted');
  assert.equal(rec.scheduledFor, '2026-04-01T00:00:00.000Z');
  assert.match(rec.trackingId, /@2026-04-01T00:00:00\.000Z$/);
  assert.equal(h.sender.scheduled.length, 1);
  assert.equal(h.sender.scheduled[0]!.at.toISOString(), '2026-04-01T00:00:00.000Z');
  assert.equal(h.sender.sent.length, 1);
  assert.ok(NOW < new Date(future));
});

test('malformed JSON is 400; a batch that is not an array, or too long, is rejected whole', async () => {
  const h = harness({ maxCloudEvents: 2 });
  const broken = await post(h, 'csv-sample', ONE, '{"specversion": "1.0",');
  assert.equal(broken.status, 400);
  assert.equal(broken.body.error?.code, 'TENURE_INGEST_MALFORMED');
  assert.match(broken.body.error?.message ?? '', /not valid JSON/);
  // The parser's own message would quote the body back ("hunter2-se"...): the answer says where, never what.
  const quoted = await post(h, 'csv-sample', ONE, 'hunter2-secret-value');
  assert.equal(quoted.body.error?.code, 'TENURE_INGEST_MALFORMED');
  assert.doesNotMatch(JSON.stringify(quoted.body), /hunter2/);
  const notArray = await post(h, 'csv-sample', BATCH, JSON.stringify(event('a', '1')));
  assert.equal(notArray.status, 400);
  const arrayAsOne = await post(h, 'csv-sample', ONE, JSON.stringify([event('a', '1')]));
  assert.equal(arrayAsOne.status, 400);
  const tooMany = await post(
    h,
    'csv-sample',
    BATCH,
    JSON.stringify([1, 2, 3].map((i) => event(`e${i}`, `${i}`))),
  );
  assert.equal(tooMany.status, 413);
  assert.equal(tooMany.body.error?.details.limit, 2);
  assert.equal(h.sender.sent.length, 0);
});

test('unsupported or missing content type is 415 and lists the accepted types', async () => {
  const h = harness();
  for (const type of ['text/plain', 'application/xml', null, 'multipart/form-data; boundary=x']) {
    const r = await post(h, 'csv-sample', type, 'x');
    assert.equal(r.status, 415, String(type));
    assert.equal(r.body.error?.code, 'TENURE_INGEST_UNSUPPORTED_MEDIA_TYPE');
    assert.ok((r.body.error?.details.accepted as string[]).includes('text/csv'));
  }
});

test('application/json is sniffed: an object with specversion is one event, an array a batch', async () => {
  const h = harness();
  const one = await post(h, 'csv-sample', 'application/json', JSON.stringify(event('j1', '70')));
  assert.equal(one.body.format, 'cloudevents');
  const many = await post(h, 'csv-sample', 'application/json', JSON.stringify([event('j2', '71')]));
  assert.equal(many.body.format, 'cloudevents-batch');
  const neither = await post(h, 'csv-sample', 'application/json', '{"a":1}');
  assert.equal(neither.status, 400);
});

test('an unknown flow is 404; query parameters that do not fit the format are 400', async () => {
  const h = harness();
  const r = await post(h, 'nope', ONE, JSON.stringify(event('a', '1')));
  assert.equal(r.status, 404);
  assert.equal(r.body.error?.code, 'TENURE_INGEST_FLOW_NOT_FOUND');
  const full = await post(h, 'csv-sample', ONE, JSON.stringify(event('a', '1')), { full: 'true' });
  assert.equal(full.status, 400);
  assert.equal(full.body.error?.code, 'TENURE_INGEST_BAD_QUERY');
  const bad = await post(h, 'csv-sample', 'text/csv', 'a\n', { full: 'yes' });
  assert.equal(bad.status, 400);
});

test('a send that fails is answered as failed with 503 and Retry-After; the others are accepted', async () => {
  const h = harness();
  h.sender.failFor.add('81');
  const r = await post(h, 'csv-sample', BATCH, JSON.stringify([event('a', '80'), event('b', '81')]));
  assert.equal(r.status, 503);
  assert.equal(r.headers?.['retry-after'], '30');
  assert.deepEqual(
    r.body.records.map((x) => x.status),
    ['accepted', 'failed'],
  );
  assert.match(r.body.message, /send the request again/);
});

test('a sender that cannot be built (Service Bus not configured) fails the records with 503, not the request', async () => {
  const h = harness();
  const deps = {
    ...h.deps,
    sender: () => {
      throw Object.assign(new Error('App setting missing'), { code: 'TENURE_MISSING_SETTING' });
    },
  };
  const r = await ingest(deps, {
    flow: 'csv-sample',
    contentType: ONE,
    readBody: async () => new TextEncoder().encode(JSON.stringify(event('z', '90'))),
    query: new URLSearchParams(),
  });
  assert.equal(r.status, 503);
  const body = r.body as { records: { status: string; errors: { reason: string }[] }[] };
  assert.equal(body.records[0]!.status, 'failed');
  assert.match(body.records[0]!.errors[0]!.reason, /TENURE_MISSING_SETTING/);
});
