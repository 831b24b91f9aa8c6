// Conformance: groups and membership (https://learn.microsoft.com/graph/api/group-post-groups,
// https://learn.microsoft.com/graph/api/group-post-members, https://learn.microsoft.com/graph/api/group-delete-members,
// graph-spec.md §2.2).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addTenant,
  errorBody,
  graphFailure,
  newUserBody,
  startEmulator,
  tenantSeed,
  type TestTenant,
} from './helpers';

const ref = (id: string): string => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;

async function users(t: TestTenant, n: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push(
      (
        await t
          .client()
          .api('/users')
          .post(newUserBody(t.domain, `${prefix}${i}`))
      ).id,
    );
  return ids;
}

describe('Graph groups (conformance)', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  it('creates a security group and a Microsoft 365 group (mail from mailNickname); mail-enabled security → 400 (https://learn.microsoft.com/graph/api/group-post-groups)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const sec = await t
      .client()
      .api('/groups')
      .post({ displayName: 'Sec', mailEnabled: false, mailNickname: 'sec', securityEnabled: true });
    assert.equal(sec.mail, null);
    assert.deepEqual(sec.groupTypes, []);
    const m365 = await t
      .client()
      .api('/groups')
      .post({
        displayName: 'Team',
        mailEnabled: true,
        mailNickname: 'team',
        securityEnabled: false,
        groupTypes: ['Unified'],
      });
    assert.equal(m365.mail, `team@${t.domain}`);
    assert.deepEqual(m365.proxyAddresses, [`SMTP:team@${t.domain}`]);
    const mailSec = await graphFailure(() =>
      t
        .client()
        .api('/groups')
        .post({ displayName: 'MS', mailEnabled: true, mailNickname: 'ms', securityEnabled: true }),
    );
    assert.equal(mailSec.statusCode, 400);
    // A user's mail that collides with the group's proxy address is a proxyAddresses conflict (graph-spec §1.5).
    const u = await t.client().api('/users').post(newUserBody(t.domain, 'clash'));
    const clash = await graphFailure(() =>
      t
        .client()
        .api(`/users/${u.id}`)
        .patch({ mail: `team@${t.domain}` }),
    );
    assert.equal(errorBody(clash).details?.[1]?.target, m365.id);
  });

  it('POST members/$ref → 204; again → 400 already exist; unknown object → 404 (https://learn.microsoft.com/graph/api/group-post-members)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const g = await t
      .client()
      .api('/groups')
      .post({ displayName: 'G', mailEnabled: false, mailNickname: 'g', securityEnabled: true });
    const [u] = await users(t, 1, 'm');
    const add = await t.fetch('POST', `/v1.0/groups/${g.id}/members/$ref`, {
      body: { '@odata.id': ref(u!) },
    });
    assert.equal(add.status, 204);
    const again = await graphFailure(() =>
      t
        .client()
        .api(`/groups/${g.id}/members/$ref`)
        .post({ '@odata.id': ref(u!) }),
    );
    assert.equal(again.statusCode, 400);
    assert.equal(errorBody(again).code, 'Request_BadRequest');
    assert.equal(
      errorBody(again).message,
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
    const missing = await graphFailure(() =>
      t
        .client()
        .api(`/groups/${g.id}/members/$ref`)
        .post({ '@odata.id': ref('11111111-2222-3333-4444-555555555555') }),
    );
    assert.equal(missing.statusCode, 404);
    assert.equal(errorBody(missing).code, 'Request_ResourceNotFound');
    const members = await t.client().api(`/groups/${g.id}/members`).get();
    assert.deepEqual(
      members.value.map((m: { id: string }) => m.id),
      [u],
    );
    assert.equal(members.value[0]['@odata.type'], '#microsoft.graph.user');
    const memberOf = await t.client().api(`/users/${u}/memberOf`).get();
    assert.deepEqual(
      memberOf.value.map((m: { id: string }) => m.id),
      [g.id],
    );
  });

  it('DELETE members/{id}/$ref → 204; not a member → 404 Request_ResourceNotFound (chosen behaviour, https://learn.microsoft.com/graph/api/group-delete-members)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const g = await t
      .client()
      .api('/groups')
      .post({ displayName: 'G', mailEnabled: false, mailNickname: 'g', securityEnabled: true });
    const [u] = await users(t, 1, 'r');
    await t
      .client()
      .api(`/groups/${g.id}/members/$ref`)
      .post({ '@odata.id': ref(u!) });
    assert.equal((await t.fetch('DELETE', `/v1.0/groups/${g.id}/members/${u}/$ref`)).status, 204);
    const again = await t.fetch('DELETE', `/v1.0/groups/${g.id}/members/${u}/$ref`);
    assert.equal(again.status, 404);
    assert.equal(again.body.error?.code, 'Request_ResourceNotFound');
  });

  it('members@odata.bind: 20 in one PATCH → 204; 21 → 400 and nothing added (https://learn.microsoft.com/graph/api/group-post-members Example 2)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const g = await t
      .client()
      .api('/groups')
      .post({ displayName: 'Bulk', mailEnabled: false, mailNickname: 'bulk', securityEnabled: true });
    const ids = await users(t, 21, 'b');
    const tooMany = await t.fetch('PATCH', `/v1.0/groups/${g.id}`, {
      body: { 'members@odata.bind': ids.map(ref) },
    });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.error?.code, 'Request_BadRequest');
    assert.equal(tooMany.body.error?.message, 'A resource cannot contain more than 20 link changes');
    assert.equal(t.tenant.groups.get(g.id)!.memberIds.size, 0);
    const ok = await t.fetch('PATCH', `/v1.0/groups/${g.id}`, {
      body: { 'members@odata.bind': ids.slice(0, 20).map(ref) },
    });
    assert.equal(ok.status, 204);
    assert.equal(t.tenant.groups.get(g.id)!.memberIds.size, 20);
  });

  it('members@odata.bind is all-or-nothing: one bad reference → error and no member added (https://learn.microsoft.com/graph/api/group-post-members)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const g = await t
      .client()
      .api('/groups')
      .post({ displayName: 'AON', mailEnabled: false, mailNickname: 'aon', securityEnabled: true });
    const ids = await users(t, 3, 'a');
    const res = await t.fetch('PATCH', `/v1.0/groups/${g.id}`, {
      body: { 'members@odata.bind': [...ids.map(ref), ref('99999999-2222-3333-4444-555555555555')] },
    });
    assert.equal(res.status, 404);
    assert.equal(t.tenant.groups.get(g.id)!.memberIds.size, 0);
    await t
      .client()
      .api(`/groups/${g.id}/members/$ref`)
      .post({ '@odata.id': ref(ids[0]!) });
    const dup = await t.fetch('PATCH', `/v1.0/groups/${g.id}`, {
      body: { 'members@odata.bind': ids.map(ref) },
    });
    assert.equal(dup.status, 400);
    assert.equal(t.tenant.groups.get(g.id)!.memberIds.size, 1);
  });

  it('non-GUID group id → 400 Invalid object identifier (graph-spec §1.6)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const res = await t.fetch('GET', '/v1.0/groups/not-a-guid');
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.message, "Invalid object identifier 'not-a-guid'.");
  });

  it('type casts, transitive membership and getByIds (https://learn.microsoft.com/graph/api/group-list-transitivemembers, https://learn.microsoft.com/graph/api/directoryobject-getbyids)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const outer = await t
      .client()
      .api('/groups')
      .post({ displayName: 'Outer', mailEnabled: false, mailNickname: 'outer', securityEnabled: true });
    const inner = await t
      .client()
      .api('/groups')
      .post({ displayName: 'Inner', mailEnabled: false, mailNickname: 'inner', securityEnabled: true });
    const [u] = await users(t, 1, 'n');
    await t
      .client()
      .api(`/groups/${outer.id}/members/$ref`)
      .post({ '@odata.id': ref(inner.id) });
    await t
      .client()
      .api(`/groups/${inner.id}/members/$ref`)
      .post({ '@odata.id': ref(u!) });
    const usersOnly = await t.client().api(`/groups/${outer.id}/members/microsoft.graph.user`).get();
    assert.equal(usersOnly.value.length, 0);
    const transitive = await t
      .client()
      .api(`/groups/${outer.id}/transitiveMembers/microsoft.graph.user`)
      .get();
    assert.deepEqual(
      transitive.value.map((x: { id: string }) => x.id),
      [u],
    );
    const memberOf = await t
      .client()
      .api(`/users/${u}/transitiveMemberOf/microsoft.graph.group`)
      .select('id')
      .get();
    assert.deepEqual(memberOf.value.map((x: { id: string }) => x.id).sort(), [outer.id, inner.id].sort());
    const direct = await t.client().api(`/users/${u}/memberOf/microsoft.graph.group`).get();
    assert.deepEqual(
      direct.value.map((x: { id: string }) => x.id),
      [inner.id],
    );
    const byIds = await t
      .client()
      .api('/directoryObjects/getByIds')
      .post({ ids: [u, inner.id], types: ['user'] });
    assert.deepEqual(
      byIds.value.map((x: { id: string }) => x.id),
      [u],
    );
    assert.equal(
      (await t.fetch('GET', `/v1.0/groups/${outer.id}/transitiveMembers`)).headers.get('x-ms-resource-unit'),
      '5',
    );
  });

  it('role-assignable groups also need RoleManagement.ReadWrite.Directory to change members (https://learn.microsoft.com/graph/api/group-post-members)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const g = await t.client().api('/groups').post({
      displayName: 'Admins',
      mailEnabled: false,
      mailNickname: 'admins',
      securityEnabled: true,
      isAssignableToRole: true,
    });
    const [u] = await users(t, 1, 'ra');
    const res = await t.fetch('POST', `/v1.0/groups/${g.id}/members/$ref`, {
      body: { '@odata.id': ref(u!) },
    });
    assert.equal(res.status, 403);
    assert.equal(res.body.error?.code, 'Authorization_RequestDenied');
  });

  it('owners: owners@odata.bind on create, list, add again → 400, remove → 204 (https://learn.microsoft.com/graph/api/group-post-owners)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const [a, b] = await users(t, 2, 'o');
    const g = await t
      .client()
      .api('/groups')
      .post({
        displayName: 'Owned',
        mailEnabled: true,
        mailNickname: 'owned',
        securityEnabled: false,
        groupTypes: ['Unified'],
        'owners@odata.bind': [ref(a!)],
        'members@odata.bind': [ref(a!), ref(b!)],
      });
    const owners = await t.client().api(`/groups/${g.id}/owners`).get();
    assert.deepEqual(
      owners.value.map((o: { id: string }) => o.id),
      [a],
    );
    assert.equal(t.tenant.groups.get(g.id)!.memberIds.size, 2);
    const again = await t.fetch('POST', `/v1.0/groups/${g.id}/owners/$ref`, {
      body: { '@odata.id': ref(a!) },
    });
    assert.equal(again.status, 400);
    assert.equal(
      (await t.fetch('POST', `/v1.0/groups/${g.id}/owners/$ref`, { body: { '@odata.id': ref(b!) } })).status,
      204,
    );
    assert.equal((await t.fetch('DELETE', `/v1.0/groups/${g.id}/owners/${a}/$ref`)).status, 204);
    assert.equal((await t.fetch('DELETE', `/v1.0/groups/${g.id}/owners/${a}/$ref`)).status, 404);
  });
});
