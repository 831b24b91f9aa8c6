// CSV extracts through ingest(): Microsoft's sample, header reconciliation, per-row errors with row numbers, BOM and
// quoted line breaks, duplicate employee IDs, limits (including a 20 MB extract, which is accepted).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingest } from '../../shared/ingest';
import { messageIdFor } from '../../shared/messaging/sender';
import { compareVersions } from '../../shared/engine/ordering';
import { CSV_HEADER, csvRow, fixture, harness, NOW, post } from './support';

test("Microsoft's inbound-provisioning CSV sample: both records accepted, one message each", async () => {
  const h = harness();
  const r = await post(h, 'csv-sample', 'text/csv', fixture('microsoft-csv-with-2-records.csv'));
  assert.equal(r.status, 200);
  assert.equal(r.body.format, 'csv');
  assert.deepEqual(r.body.summary, { records: 2, accepted: 2, rejected: 0, failed: 0, scheduled: 0 });
  assert.deepEqual(
    r.body.records.map((x) => [x.status, x.row, x.employeeId]),
    [
      ['accepted', 1, '1222'],
      ['accepted', 2, '1513'],
    ],
  );
  assert.equal(h.sender.sent.length, 2);
  const [first] = h.sender.sent;
  assert.equal(first!.kind, 'snapshot');
  assert.equal(first!.flow, 'csv-sample');
  assert.equal(first!.employeeId, '1222');
  assert.equal(first!.record?.WorkerStatus, 'Inactive');
  assert.equal(first!.record?.Custom02, 'BTK39');
  const accepted = r.body.records[0]!;
  assert.ok(accepted.status === 'accepted');
  assert.equal(accepted.trackingId, messageIdFor(first!));
  assert.equal(accepted.sessionId, 'csv-sample:1222');
  assert.deepEqual(r.body.columns, { missingOptional: [], ignored: [] });
});

test('versions: identical content shares the digest, a later upload sorts later, a change is a new digest', async () => {
  const h = harness();
  const body = `${CSV_HEADER}\n${csvRow()}\n`;
  const version = async () => {
    const r = await post(h, 'csv-sample', 'text/csv', body);
    const rec = r.body.records[0]!;
    assert.ok(rec.status === 'accepted');
    assert.equal(rec.trackingId, `snapshot:csv-sample:1222:${rec.version}`);
    return rec.version;
  };
  const first = await version();
  // A retry within the same instant is the same message: Service Bus duplicate detection drops it.
  assert.equal(await version(), first);
  h.clock.now = new Date(NOW.getTime() + 60_000);
  const later = await version();
  assert.equal(later.split('#')[1], first.split('#')[1]);
  assert.ok(compareVersions(later, first) > 0, 'the engine sees the later upload as newer');
  const changed = await post(h, 'csv-sample', 'text/csv', `${CSV_HEADER}\n${csvRow({ JobTitle: 'Lead' })}\n`);
  const rec = changed.body.records[0]!;
  assert.ok(rec.status === 'accepted');
  assert.notEqual(rec.version.split('#')[1], first.split('#')[1]);
});

test('with an as-of field (workday Last_Updated) the version follows it, not the upload time', async () => {
  const h = harness();
  const event = (updated: string) =>
    JSON.stringify({
      specversion: '1.0',
      type: 'com.tenure.worker.snapshot',
      source: '/workday',
      id: updated,
      subject: '21001',
      data: {
        Employee_ID: '21001',
        Worker_Status: 'Active',
        Legal_First_Name: 'Jürgen',
        Last_Name: 'Müller',
        Hire_Date: '2025-03-17+01:00',
        Last_Updated: updated,
      },
    });
  const a = await post(h, 'workday', 'application/cloudevents+json', event('2025-03-01T09:00:00Z'));
  const rec = a.body.records[0]!;
  assert.ok(rec.status === 'accepted', JSON.stringify(a.body));
  assert.ok(rec.version.startsWith('2025-03-01T09:00:00Z#'));
});

test('a missing required column rejects the whole file and names the column; nothing is sent', async () => {
  const h = harness();
  const header = CSV_HEADER.replace(',HireDate', '');
  const row = csvRow().split(',');
  row.splice(CSV_HEADER.split(',').indexOf('HireDate'), 1);
  const r = await post(h, 'csv-sample', 'text/csv', `${header}\n${row.join(',')}\n`);
  assert.equal(r.status, 400);
  assert.equal(r.body.error?.code, 'TENURE_INGEST_CSV_HEADER_MISMATCH');
  assert.deepEqual(r.body.error?.details.missingRequiredColumns, ['HireDate']);
  assert.deepEqual(r.body.error?.details.unknownColumns, []);
  assert.equal(h.sender.sent.length, 0);
});

test('unknown columns are listed with their position and a case hint; ignore= skips them on purpose', async () => {
  const h = harness();
  const header = `${CSV_HEADER},Badge,workertype`.replace(',WorkerType,', ',Extra,');
  const body = `${header}\n${csvRow()},B1,x\n`;
  const r = await post(h, 'csv-sample', 'text/csv', body);
  assert.equal(r.status, 400);
  const unknown = r.body.error?.details.unknownColumns as {
    column: string;
    position: number;
    reason: string;
  }[];
  assert.deepEqual(
    unknown.map((u) => [u.column, u.position]),
    [
      ['Extra', 3],
      ['Badge', 25],
      ['workertype', 26],
    ],
  );
  assert.match(unknown[2]!.reason, /did you mean WorkerType/);
  const ok = await post(h, 'csv-sample', 'text/csv', body, { ignore: 'Extra,Badge,workertype' });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.columns?.ignored, ['Extra', 'Badge', 'workertype']);
  assert.deepEqual(ok.body.columns?.missingOptional, ['WorkerType']);
  assert.equal(h.sender.sent[0]!.record?.WorkerType, undefined);
});

test('per-row errors carry the data row number (header not counted) and the field', async () => {
  const h = harness();
  const body = [
    CSV_HEADER,
    csvRow({ WorkerID: '1' }),
    csvRow({ WorkerID: '2', HireDate: '29/05/2019', LastName: '' }),
    csvRow({ WorkerID: '3' }),
  ].join('\r\n');
  const r = await post(h, 'csv-sample', 'text/csv', body);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.summary, { records: 3, accepted: 2, rejected: 1, failed: 0, scheduled: 0 });
  const bad = r.body.records[1]!;
  assert.ok(bad.status === 'rejected');
  assert.equal(bad.row, 2);
  assert.equal(bad.line, 3);
  assert.equal(bad.employeeId, '2');
  assert.deepEqual(bad.errors.map((e) => e.field).sort(), ['HireDate', 'LastName']);
  assert.match(r.body.message, /1 rejected .*status is 200/);
  assert.deepEqual(
    h.sender.sent.map((m) => m.employeeId),
    ['1', '3'],
  );
});

test('a row with the wrong number of cells is rejected, not shifted', async () => {
  const h = harness();
  const r = await post(h, 'csv-sample', 'text/csv', `${CSV_HEADER}\n${csvRow()},extra\n`);
  assert.equal(r.status, 200);
  const rec = r.body.records[0]!;
  assert.ok(rec.status === 'rejected');
  assert.match(rec.errors[0]!.reason, /25 cells and the header 24 columns/);
});

test('a BOM, CRLF, quoted line breaks and escaped quotes are read; row numbers still count rows', async () => {
  const h = harness();
  const body =
    '\uFEFF' +
    [
      CSV_HEADER,
      csvRow({
        WorkerID: '10',
        StreetAddress: '"303 Mansion Ct\r\nBuilding ""B"""',
        FullName: '"Fleeta, Talya"',
      }),
      csvRow({ WorkerID: '11' }),
    ].join('\r\n') +
    '\r\n';
  const r = await post(h, 'csv-sample', 'text/csv; charset=utf-8', body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(
    r.body.records.map((x) => [x.status, x.row, x.line]),
    [
      ['accepted', 1, 2],
      ['accepted', 2, 4],
    ],
  );
  assert.equal(h.sender.sent[0]!.record?.StreetAddress, '303 Mansion Ct\r\nBuilding "B"');
  assert.equal(h.sender.sent[0]!.record?.FullName, 'Fleeta, Talya');
  assert.equal(h.sender.sent[0]!.record?.WorkerID, '10');
});

test('duplicate employee IDs within one extract: every row of that ID is rejected, naming the rows', async () => {
  const h = harness();
  const body = [
    CSV_HEADER,
    csvRow({ WorkerID: '7' }),
    csvRow({ WorkerID: '8' }),
    csvRow({ WorkerID: '7', JobTitle: 'Other' }),
  ].join('\n');
  const r = await post(h, 'csv-sample', 'text/csv', body);
  assert.equal(r.status, 200);
  assert.deepEqual(
    r.body.records.map((x) => x.status),
    ['rejected', 'accepted', 'rejected'],
  );
  const dup = r.body.records[0]!;
  assert.ok(dup.status === 'rejected');
  assert.equal(dup.errors[0]!.field, 'WorkerID');
  assert.match(dup.errors[0]!.reason, /more than once .*row 1, row 3/);
  assert.deepEqual(
    h.sender.sent.map((m) => m.employeeId),
    ['8'],
  );
});

test('a CSV that cannot be parsed is 400 with the line', async () => {
  const h = harness();
  const r = await post(h, 'csv-sample', 'text/csv', `${CSV_HEADER}\n1222,"Active\n`);
  assert.equal(r.status, 400);
  assert.equal(r.body.error?.code, 'TENURE_INGEST_MALFORMED');
  assert.equal(r.body.error?.details.line, 2);
  const empty = await post(h, 'csv-sample', 'text/csv', '');
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error?.code, 'TENURE_INGEST_MALFORMED');
});

test('bytes that are not UTF-8 are 400; another charset is 415', async () => {
  const h = harness();
  const r = await post(h, 'csv-sample', 'text/csv', new Uint8Array([0x57, 0xff, 0xfe, 0x0a]));
  assert.equal(r.status, 400);
  assert.equal(r.body.error?.code, 'TENURE_INGEST_MALFORMED');
  const latin = await post(h, 'csv-sample', 'text/csv; charset=iso-8859-1', 'a\n');
  assert.equal(latin.status, 415);
});

test('more data rows than the limit is 413 and nothing is sent', async () => {
  const h = harness({ maxCsvRows: 3 });
  const rows = [1, 2, 3, 4].map((i) => csvRow({ WorkerID: String(i) }));
  const r = await post(h, 'csv-sample', 'text/csv', [CSV_HEADER, ...rows].join('\n'));
  assert.equal(r.status, 413);
  assert.equal(r.body.error?.code, 'TENURE_INGEST_TOO_MANY_RECORDS');
  assert.equal(r.body.error?.details.limit, 3);
  assert.equal(h.sender.sent.length, 0);
  const fits = await post(h, 'csv-sample', 'text/csv', [CSV_HEADER, ...rows.slice(0, 3)].join('\n'));
  assert.equal(fits.status, 200);
});

test('a 20 MB extract is accepted in full (the body limit is 32 MiB so a large full extract fits one request)', async () => {
  const h = harness();
  const lines = [CSV_HEADER];
  let size = CSV_HEADER.length + 1;
  for (let i = 100000; size < 20 * 1024 * 1024; i++) {
    const line = csvRow({
      WorkerID: String(i),
      JobTitle: 'Senior Sales Executive - Northern Europe and Baltics',
    });
    lines.push(line);
    size += line.length + 1;
  }
  const body = new TextEncoder().encode(lines.join('\n') + '\n');
  assert.ok(body.byteLength >= 20 * 1024 * 1024);
  const r = await post(h, 'csv-sample', 'text/csv', body);
  assert.equal(r.status, 200);
  assert.equal(r.body.summary.records, lines.length - 1);
  assert.equal(r.body.summary.accepted, lines.length - 1);
  assert.equal(h.sender.sent.length, lines.length - 1);
});

test('a body over 32 MiB is 413 with the limit — by declared length before reading, and by actual size', async () => {
  const h = harness();
  let read = false;
  const declared = await ingest(h.deps, {
    flow: 'csv-sample',
    contentType: 'text/csv',
    contentLength: 33 * 1024 * 1024,
    readBody: async () => {
      read = true;
      return new Uint8Array();
    },
    query: new URLSearchParams(),
  });
  assert.equal(declared.status, 413);
  assert.equal(read, false);
  const big = new Uint8Array(32 * 1024 * 1024 + 1).fill(0x41);
  const actual = await post(h, 'csv-sample', 'text/csv', big);
  assert.equal(actual.status, 413);
  assert.equal(actual.body.error?.code, 'TENURE_INGEST_BODY_TOO_LARGE');
  assert.equal(actual.body.error?.details.limit, 32 * 1024 * 1024);
  assert.match(actual.body.error?.message ?? '', /32 MiB/);
});
