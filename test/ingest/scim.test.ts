// SCIM BulkRequest as Entra's /bulkUpload takes it: Microsoft's own examples, the 50-operation limit, malformed
// requests, the default mapping and a flow's overrides.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, harness, post, type Harness } from './support';

const SCIM = 'application/scim+json';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

function operation(externalId: string, extra: Record<string, unknown> = {}) {
  return {
    method: 'POST',
    bulkId: `b-${externalId}`,
    path: '/Users',
    data: {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      externalId,
      userName: `u${externalId}@example.com`,
      active: true,
      ...extra,
    },
  };
}

function bulk(ops: unknown[]) {
  return JSON.stringify({ schemas: [BULK], Operations: ops, failOnErrors: null });
}

async function sent(h: Harness, id: string) {
  const m = h.sender.sent.find((x) => x.employeeId === id);
  assert.ok(m, `message for ${id}`);
  return m.record!;
}

test("Microsoft's example 1 (core + enterprise user) is accepted and mapped by the default mapping", async () => {
  const h = harness();
  const r = await post(h, 'scim-test', SCIM, fixture('microsoft-bulkupload-example1.json'));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.format, 'scim');
  assert.deepEqual(
    r.body.records.map((x) => [x.status, x.operation, x.index, x.employeeId]),
    [
      ['accepted', '701984', 0, '701984'],
      ['accepted', '701985', 1, '701985'],
    ],
  );
  assert.deepEqual(await sent(h, '701984'), {
    externalId: '701984',
    userName: 'bjensen@example.com',
    givenName: 'Barbara',
    familyName: 'Jensen',
    displayName: 'Babs Jensen',
    active: true,
    title: 'Tour Guide',
    userType: 'Employee',
    email: 'bjensen@example.com',
    phoneNumber: '555-555-5555',
    streetAddress: '234300 Universal City Plaza',
    locality: 'Hollywood',
    region: 'CA',
    postalCode: '91608',
    country: 'USA',
    employeeNumber: '701984',
    department: 'Tour Operations',
    costCenter: '4130',
    division: 'Theme Park',
    organization: 'Universal Studios',
    manager: '89607',
  });
  // Kathy's manager is Barbara, by externalId.
  assert.equal((await sent(h, '701985')).manager, '701984');
  const first = r.body.records[0]!;
  assert.ok(first.status === 'accepted');
  assert.equal(first.sessionId, 'scim-test:701984');
  // Attributes the flow has no field for are listed, not silently dropped.
  assert.ok(first.ignoredAttributes?.includes('nickName'));
  assert.ok(first.ignoredAttributes?.includes('name.middleName'));
});

test("Microsoft's example 2 (custom schema urn:contoso:employee) maps HireDate and JobCode by name", async () => {
  const h = harness();
  const r = await post(h, 'scim-test', SCIM, fixture('microsoft-bulkupload-example2.json'));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.summary.accepted, 2);
  const barbara = await sent(h, '701984');
  assert.equal(barbara.HireDate, '2021-05-01T00:00:00-05:00');
  assert.equal(barbara.JobCode, 'AB-1002');
  assert.equal((await sent(h, '701985')).JobCode, 'AB-1003');
});

test("Microsoft's example 3 (update: externalId, active false, department) is accepted", async () => {
  const h = harness();
  const r = await post(h, 'scim-test', SCIM, fixture('microsoft-bulkupload-example3.json'));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(
    r.body.records.map((x) => [x.status, x.operation]),
    [['accepted', '7172023']],
  );
  assert.deepEqual(await sent(h, '7172023'), {
    externalId: '7172023',
    active: false,
    department: 'Tour Ops',
  });
});

test('application/json with a BulkRequest body is read as SCIM too', async () => {
  const h = harness();
  const r = await post(h, 'scim-test', 'application/json', fixture('microsoft-bulkupload-example3.json'));
  assert.equal(r.status, 200);
  assert.equal(r.body.format, 'scim');
});

test('51 operations: 413 with a SCIM error body, nothing sent; 50 operations are accepted', async () => {
  const h = harness();
  const ops = Array.from({ length: 51 }, (_, i) => operation(String(1000 + i)));
  const r = await post(h, 'scim-test', SCIM, bulk(ops));
  assert.equal(r.status, 413);
  assert.equal(r.body.error?.code, 'TENURE_INGEST_TOO_MANY_RECORDS');
  assert.deepEqual(r.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
  assert.equal(r.body.status, '413');
  assert.match(String(r.body.detail), /maxOperations \(50\)/);
  assert.equal(h.sender.sent.length, 0);
  const ok = await post(h, 'scim-test', SCIM, bulk(ops.slice(0, 50)));
  assert.equal(ok.status, 200);
  assert.equal(ok.body.summary.accepted, 50);
});

test('malformed JSON, a body that is not a BulkRequest and wrong schemas are 400', async () => {
  const h = harness();
  const broken = await post(h, 'scim-test', SCIM, '{"schemas": [');
  assert.equal(broken.status, 400);
  assert.equal(broken.body.error?.code, 'TENURE_INGEST_MALFORMED');
  const array = await post(h, 'scim-test', SCIM, '[]');
  assert.equal(array.status, 400);
  assert.equal(array.body.error?.code, 'TENURE_INGEST_NOT_A_BULK_REQUEST');
  const wrong = await post(
    h,
    'scim-test',
    SCIM,
    JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [] }),
  );
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error?.code, 'TENURE_INGEST_NOT_A_BULK_REQUEST');
  assert.equal(wrong.body.status, '400');
  const noOps = await post(h, 'scim-test', SCIM, JSON.stringify({ schemas: [BULK] }));
  assert.equal(noOps.status, 400);
});

test('each operation is checked on its own: method, path, bulkId, externalId, field values', async () => {
  const h = harness();
  const r = await post(
    h,
    'scim-test',
    SCIM,
    bulk([
      { ...operation('1'), method: 'PATCH' },
      { ...operation('2'), path: '/Groups' },
      operation('3', { externalId: '' }),
      operation('4', { active: 'maybe' }),
      operation('5'),
    ]),
  );
  assert.equal(r.status, 200);
  const fields = r.body.records.map((x) =>
    x.status === 'accepted' ? 'ok' : x.errors.map((e) => e.field).join(),
  );
  assert.deepEqual(fields, ['method', 'path', 'externalId', 'active', 'ok']);
  assert.deepEqual(
    r.body.records.map((x) => x.operation),
    ['b-1', 'b-2', 'b-3', 'b-4', 'b-5'],
  );
});

test('duplicate externalIds in one BulkRequest are all rejected', async () => {
  const h = harness();
  const r = await post(
    h,
    'scim-test',
    SCIM,
    bulk([operation('9'), operation('9', { title: 'x' }), operation('10')]),
  );
  assert.deepEqual(
    r.body.records.map((x) => x.status),
    ['rejected', 'rejected', 'accepted'],
  );
  const first = r.body.records[0]!;
  assert.ok(first.status === 'rejected');
  assert.match(first.errors[0]!.reason, /operation b-9, operation b-9/);
});

test("a flow's scim: section overrides the default mapping (workday: employeeNumber → Employee_ID)", async () => {
  const h = harness();
  const r = await post(
    h,
    'workday',
    SCIM,
    bulk([
      {
        method: 'POST',
        bulkId: 'w1',
        path: '/Users',
        data: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          externalId: '21001',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
            employeeNumber: '21001',
            costCenter: 'CC-7',
          },
        },
      },
    ]),
  );
  // Required Workday fields are missing: the answer names them, and shows the overrides were applied.
  const rec = r.body.records[0]!;
  assert.ok(rec.status === 'rejected');
  assert.equal(rec.employeeId, '21001');
  assert.deepEqual(rec.errors.map((e) => e.field).sort(), [
    'Hire_Date',
    'Last_Name',
    'Legal_First_Name',
    'Worker_Status',
  ]);
});

test('externalId and the join key field must agree when both are given', async () => {
  const h = harness();
  const r = await post(
    h,
    'workday',
    SCIM,
    bulk([
      {
        method: 'POST',
        bulkId: 'w1',
        path: '/Users',
        data: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          externalId: '21001',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '99999' },
        },
      },
    ]),
  );
  const rec = r.body.records[0]!;
  assert.ok(rec.status === 'rejected');
  assert.ok(rec.errors.some((e) => e.field === 'Employee_ID' && /SCIM externalId/.test(e.reason)));
});

test("an update like Microsoft's example 3 keeps the stored record's other fields (Entra's update semantics)", async () => {
  const h = harness();
  h.stored.set('scim-strict:7172023', {
    externalId: '7172023',
    givenName: 'Kim',
    familyName: 'Akers',
    department: 'Tour Operations',
    title: 'Guide',
    active: true,
    retiredField: 'not in the flow any more',
  });
  const r = await post(h, 'scim-strict', SCIM, fixture('microsoft-bulkupload-example3.json'));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const rec = r.body.records[0]!;
  assert.ok(rec.status === 'accepted');
  assert.equal(rec.mergedWithStored, true);
  assert.deepEqual(await sent(h, '7172023'), {
    externalId: '7172023',
    givenName: 'Kim',
    familyName: 'Akers',
    department: 'Tour Ops',
    title: 'Guide',
    active: false,
  });
});

test('without a stored record the same update is rejected, naming the required fields it lacks', async () => {
  const h = harness();
  const r = await post(h, 'scim-strict', SCIM, fixture('microsoft-bulkupload-example3.json'));
  const rec = r.body.records[0]!;
  assert.ok(rec.status === 'rejected');
  assert.deepEqual(rec.errors.map((e) => e.field).sort(), ['familyName', 'givenName']);
  assert.equal(h.sender.sent.length, 0);
});

test('an attribute sent as null clears the stored value', async () => {
  const h = harness();
  h.stored.set('scim-strict:5', { externalId: '5', givenName: 'A', familyName: 'B', title: 'Old title' });
  await post(h, 'scim-strict', SCIM, bulk([operation('5', { title: null })]));
  assert.equal((await sent(h, '5')).title, null);
});

test('a worker store that cannot be read answers 503 and sends nothing (a partial update must not blank fields)', async () => {
  const h = harness();
  h.stored.set('scim-strict:6', 'down');
  const r = await post(h, 'scim-strict', SCIM, bulk([operation('6'), operation('7')]));
  assert.equal(r.status, 503);
  assert.equal(r.body.error?.code, 'TENURE_INGEST_STORE_UNAVAILABLE');
  assert.equal(h.sender.sent.length, 0);
});
