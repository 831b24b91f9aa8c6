// Conformance: employeeLeaveDateTime ("lifecycle information") permissions. Reading needs
// User-LifeCycleInfo.Read.All and, without it, the value reads as null (the request is not refused); writing
// needs User.Read.All and User-LifeCycleInfo.ReadWrite.All, else 403 Authorization_RequestDenied
// (https://learn.microsoft.com/graph/tutorial-lifecycle-workflows-set-employeeleavedatetime,
// https://learn.microsoft.com/graph/api/resources/user; null read observed in Azure/LogicAppsUX#4925).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addTenant, newUserBody, startEmulator, tenantSeed, type TestTenant } from './helpers';

const LEAVE = '2022-09-30T23:59:59Z';

describe('Graph employeeLeaveDateTime permissions (conformance)', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  /** A user whose leave date is already set (as HR provisioning or another app would have). */
  async function leaver(t: TestTenant, name: string): Promise<string> {
    const u = (await t
      .client()
      .api('/users')
      .post(newUserBody(t.domain, name, { employeeId: name }))) as {
      id: string;
    };
    t.tenant.users.get(u.id)!.properties.employeeLeaveDateTime = LEAVE;
    return u.id;
  }

  it('without User-LifeCycleInfo.Read.All: $select answers 200 with employeeLeaveDateTime null (get, list, deleted items)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const id = await leaver(t, 'nolc');
    const got = await t.fetch('GET', `/v1.0/users/${id}?$select=id,employeeLeaveDateTime`);
    assert.equal(got.status, 200);
    assert.ok('employeeLeaveDateTime' in got.body);
    assert.equal(got.body.employeeLeaveDateTime, null);
    const list = await t.fetch(
      'GET',
      `/v1.0/users?$filter=${encodeURIComponent("employeeId eq 'nolc'")}&$select=id,employeeLeaveDateTime`,
    );
    assert.equal(list.status, 200);
    assert.deepEqual(
      (list.body.value as Record<string, unknown>[]).map((u) => u.employeeLeaveDateTime),
      [null],
    );
    assert.equal((await t.fetch('DELETE', `/v1.0/users/${id}`)).status, 204);
    const deleted = await t.fetch(
      'GET',
      `/v1.0/directory/deletedItems/${id}?$select=id,employeeLeaveDateTime`,
    );
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body.employeeLeaveDateTime, null);
  });

  it('with User-LifeCycleInfo.Read.All: the value is returned; a write is still 403 Authorization_RequestDenied', async () => {
    const t = addTenant(
      emulator,
      tenantSeed({ permissions: ['User.ReadWrite.All', 'User-LifeCycleInfo.Read.All'] }),
    );
    const id = await leaver(t, 'readlc');
    const got = await t.fetch('GET', `/v1.0/users/${id}?$select=employeeLeaveDateTime`);
    assert.equal(got.status, 200);
    assert.equal(got.body.employeeLeaveDateTime, LEAVE);
    const list = await t.fetch(
      'GET',
      `/v1.0/users?$filter=${encodeURIComponent("employeeId eq 'readlc'")}&$select=employeeLeaveDateTime`,
    );
    assert.equal((list.body.value as Record<string, unknown>[])[0]!.employeeLeaveDateTime, LEAVE);
    const write = await t.fetch('PATCH', `/v1.0/users/${id}`, {
      body: { employeeLeaveDateTime: '2023-01-31T00:00:00Z' },
    });
    assert.equal(write.status, 403);
    assert.equal(write.body.error?.code, 'Authorization_RequestDenied');
    assert.equal(write.body.error?.message, 'Insufficient privileges to complete the operation.');
    assert.equal(t.tenant.users.get(id)!.properties.employeeLeaveDateTime, LEAVE, 'nothing written');
  });

  it('write needs a user read permission besides User-LifeCycleInfo.ReadWrite.All; with both it is 204 and reads back', async () => {
    const only = addTenant(emulator, tenantSeed({ permissions: ['User-LifeCycleInfo.ReadWrite.All'] }));
    const seeded = only.tenant.users.values().next().value!;
    const refused = await only.fetch('PATCH', `/v1.0/users/${seeded.id}`, {
      body: { employeeLeaveDateTime: LEAVE },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error?.code, 'Authorization_RequestDenied');

    const t = addTenant(
      emulator,
      tenantSeed({ permissions: ['User.ReadWrite.All', 'User-LifeCycleInfo.ReadWrite.All'] }),
    );
    const u = (await t.client().api('/users').post(newUserBody(t.domain, 'rwlc'))) as { id: string };
    // Another representation of an instant is stored (and read back) as Graph's UTC form.
    const set = await t.fetch('PATCH', `/v1.0/users/${u.id}`, {
      body: { employeeLeaveDateTime: '2022-10-01T01:59:59+02:00' },
    });
    assert.equal(set.status, 204);
    const got = await t.fetch('GET', `/v1.0/users/${u.id}?$select=employeeLeaveDateTime`);
    assert.equal(got.body.employeeLeaveDateTime, LEAVE);
  });
});
