// Conformance: $filter default-vs-advanced matrix, $count, $select, $top paging, $orderby, $search
// (https://learn.microsoft.com/graph/aad-advanced-queries, graph-spec.md §1.4, §1.8).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addTenant, newUserBody, startEmulator, tenantSeed, type TestTenant } from './helpers';

const EVENTUAL = { ConsistencyLevel: 'eventual' };

describe('Graph query engine (conformance)', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let t: TestTenant;
  before(async () => {
    emulator = await startEmulator();
    t = addTenant(emulator, tenantSeed({ users: [] }));
    const client = t.client();
    for (let i = 0; i < 7; i++)
      await client.api('/users').post(
        newUserBody(t.domain, `q${i}`, {
          employeeId: `E${i}`,
          employeeType: i % 2 === 0 ? 'Employee' : 'Contractor',
          mail: `q${i}@${t.domain}`,
          accountEnabled: i !== 3,
          employeeHireDate: `2024-0${i + 1}-01T00:00:00Z`,
        }),
      );
  });
  after(async () => emulator.close());

  it('eq on employeeId works by default, no header (https://learn.microsoft.com/graph/aad-advanced-queries: employeeId eq = default)', async () => {
    const res = await t.client().api('/users').filter("employeeId eq 'E2'").select('employeeId').get();
    assert.deepEqual(res.value, [{ employeeId: 'E2' }]);
  });

  it('in and startsWith are default; any() on proxyAddresses is default (https://learn.microsoft.com/graph/aad-advanced-queries)', async () => {
    const inRes = await t
      .client()
      .api('/users')
      .filter("employeeId in ('E1','E4')")
      .select('employeeId')
      .get();
    assert.deepEqual(inRes.value.map((u: { employeeId: string }) => u.employeeId).sort(), ['E1', 'E4']);
    const sw = await t.client().api('/users').filter("startsWith(userPrincipalName,'q5')").select('id').get();
    assert.equal(sw.value.length, 1);
    const any = await t
      .client()
      .api('/users')
      .filter(`proxyAddresses/any(x:x eq 'smtp:q6@${t.domain}')`)
      .select('mail')
      .get();
    assert.deepEqual(any.value, [{ mail: `q6@${t.domain}` }]);
  });

  it('advanced query without ConsistencyLevel + $count → 400 Request_UnsupportedQuery "Unsupported Query." (https://learn.microsoft.com/graph/aad-advanced-queries error bodies)', async () => {
    for (const filter of [
      "employeeType eq 'Contractor'",
      "endsWith(mail,'@" + t.domain + "')",
      "employeeId ne 'E1'",
      'employeeId eq null',
    ]) {
      const res = await t.fetch('GET', `/v1.0/users?$filter=${encodeURIComponent(filter)}`);
      assert.equal(res.status, 400, filter);
      assert.equal(res.body.error?.code, 'Request_UnsupportedQuery');
      assert.equal(res.body.error?.message, 'Unsupported Query.');
      assert.ok(res.body.error?.innerError?.['request-id']);
      // The header alone is not enough: $count=true is required too.
      const headerOnly = await t.fetch('GET', `/v1.0/users?$filter=${encodeURIComponent(filter)}`, {
        headers: EVENTUAL,
      });
      assert.equal(headerOnly.status, 400, filter);
    }
  });

  it('advanced query with the header and $count=true → 200 with @odata.count (https://learn.microsoft.com/graph/aad-advanced-queries)', async () => {
    const res = await t.fetch(
      'GET',
      `/v1.0/users?$filter=${encodeURIComponent("employeeType eq 'Contractor'")}&$count=true`,
      {
        headers: EVENTUAL,
      },
    );
    assert.equal(res.status, 200);
    assert.equal(res.body['@odata.count'], 3);
    const viaSdk = await t
      .client()
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .filter('employeeHireDate ge 2024-04-01T00:00:00Z and not(accountEnabled eq false)')
      .count(true)
      .get();
    assert.equal(viaSdk['@odata.count'], 3);
  });

  it('$count=true without the header is silently ignored (https://learn.microsoft.com/graph/aad-advanced-queries)', async () => {
    const res = await t.fetch('GET', '/v1.0/users?$count=true');
    assert.equal(res.status, 200);
    assert.equal('@odata.count' in res.body, false);
  });

  it('GET /users/$count needs the header: 400 Request_BadRequest "$count is not currently supported." / text count (https://learn.microsoft.com/graph/aad-advanced-queries)', async () => {
    const bad = await t.fetch('GET', '/v1.0/users/$count');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.code, 'Request_BadRequest');
    assert.equal(bad.body.error?.message, '$count is not currently supported.');
    const ok = await t.fetch('GET', '/v1.0/users/$count', { headers: EVENTUAL });
    assert.equal(ok.status, 200);
    assert.equal(ok.text, '7');
  });

  it('$search needs ConsistencyLevel: eventual (https://learn.microsoft.com/graph/aad-advanced-queries)', async () => {
    const bad = await t.fetch('GET', `/v1.0/users?$search=${encodeURIComponent('"displayName:User q1"')}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.code, 'Request_UnsupportedQuery');
    const ok = await t.fetch('GET', `/v1.0/users?$search=${encodeURIComponent('"displayName:q1"')}`, {
      headers: EVENTUAL,
    });
    assert.equal(ok.status, 200);
    assert.equal((ok.body.value as unknown[]).length, 1);
  });

  it('non-filterable property → 400 Request_UnsupportedQuery (https://learn.microsoft.com/graph/aad-advanced-queries)', async () => {
    const res = await t.fetch('GET', `/v1.0/users?$filter=${encodeURIComponent("aboutMe eq 'x'")}`, {
      headers: EVENTUAL,
    });
    // endsWith works only on mail, userPrincipalName and proxyAddresses, even as an advanced query.
    const endsWith = await t.fetch(
      'GET',
      `/v1.0/users?$count=true&$filter=${encodeURIComponent("endsWith(displayName,'q1')")}`,
      { headers: EVENTUAL },
    );
    assert.equal(endsWith.status, 400);
    assert.equal(endsWith.body.error?.code, 'Request_UnsupportedQuery');
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.code, 'Request_UnsupportedQuery');
  });

  it('$top pages with an opaque @odata.nextLink the SDK can follow (graph-spec §1.8, paging)', async () => {
    const first = await t.client().api('/users').top(3).select('id').get();
    assert.equal(first.value.length, 3);
    assert.match(first['@odata.nextLink'], /\$skiptoken=/);
    const ids = new Set(first.value.map((u: { id: string }) => u.id));
    let next: string | undefined = first['@odata.nextLink'];
    while (next) {
      const page = await t.client().api(next).get();
      for (const u of page.value) ids.add(u.id);
      next = page['@odata.nextLink'];
    }
    assert.equal(ids.size, 7);
  });

  it('$orderby displayName alone is default; with $filter it is advanced (https://learn.microsoft.com/graph/aad-advanced-queries)', async () => {
    const ordered = await t.client().api('/users').orderby('displayName desc').select('displayName').get();
    assert.equal(ordered.value[0].displayName, 'User q6');
    const res = await t.fetch(
      'GET',
      `/v1.0/users?$filter=${encodeURIComponent("startsWith(displayName,'User')")}&$orderby=displayName`,
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.code, 'Request_UnsupportedQuery');
  });

  it('$select of an unknown property → 400 (OData)', async () => {
    const res = await t.fetch('GET', '/v1.0/users?$select=notAProperty');
    assert.equal(res.status, 400);
  });
});
