// Conformance: soft delete, restore within 30 days (emulator clock), permanent delete
// (https://learn.microsoft.com/graph/api/user-delete, https://learn.microsoft.com/graph/api/directory-deleteditems-restore;
// graph-spec.md §1.7).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addTenant, errorBody, graphFailure, newUserBody, startEmulator, tenantSeed } from './helpers';

const DAY = 86_400_000;

describe('Graph deleted items (conformance)', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  it('DELETE → 204; the user is listed in deletedItems; restore → 200 with group memberships back (https://learn.microsoft.com/graph/api/user-delete)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const u = await t
      .client()
      .api('/users')
      .post(newUserBody(t.domain, 'gone', { mail: `gone@${t.domain}` }));
    const g = await t
      .client()
      .api('/groups')
      .post({ displayName: 'G', mailEnabled: false, mailNickname: 'g', securityEnabled: true });
    await t
      .client()
      .api(`/groups/${g.id}/members/$ref`)
      .post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${u.id}` });
    const del = await t.fetch('DELETE', `/v1.0/users/${u.id}`);
    assert.equal(del.status, 204);
    assert.equal((await t.fetch('GET', `/v1.0/users/${u.id}`)).status, 404);
    const deleted = await t.client().api('/directory/deletedItems/microsoft.graph.user').get();
    assert.deepEqual(
      deleted.value.map((d: { id: string }) => d.id),
      [u.id],
    );
    assert.ok(deleted.value[0].deletedDateTime);
    const item = await t.client().api(`/directory/deletedItems/${u.id}`).get();
    assert.equal(item['@odata.type'], '#microsoft.graph.user');

    // Soft-deleted users keep their UPN and proxy addresses (graph-spec §1.5).
    const upnTaken = await graphFailure(() => t.client().api('/users').post(newUserBody(t.domain, 'gone')));
    assert.deepEqual(errorBody(upnTaken).details, [{ target: 'userPrincipalName', code: 'ObjectConflict' }]);

    emulator.context.state.clock.advance(29 * DAY);
    const restored = await t.client().api(`/directory/deletedItems/${u.id}/restore`).post({});
    assert.equal(restored.id, u.id);
    assert.equal(restored['@odata.type'], '#microsoft.graph.user');
    const memberOf = await t.client().api(`/users/${u.id}/memberOf`).get();
    assert.deepEqual(
      memberOf.value.map((m: { id: string }) => m.id),
      [g.id],
    );
  });

  it('restore after 30 days fails with 404: the object was purged (https://learn.microsoft.com/graph/api/user-delete: "after 30 days … permanently deleted")', async () => {
    const t = addTenant(emulator, tenantSeed());
    const u = await t.client().api('/users').post(newUserBody(t.domain, 'late'));
    await t.client().api(`/users/${u.id}`).delete();
    emulator.context.state.clock.advance(30 * DAY + 1000);
    const e = await graphFailure(() => t.client().api(`/directory/deletedItems/${u.id}/restore`).post({}));
    assert.equal(e.statusCode, 404);
    assert.equal(errorBody(e).code, 'Request_ResourceNotFound');
    // The UPN is free again.
    const again = await t.client().api('/users').post(newUserBody(t.domain, 'late'));
    assert.notEqual(again.id, u.id);
  });

  it('permanent DELETE /directory/deletedItems/{id} → 204, then 404 (https://learn.microsoft.com/graph/api/directory-deleteditems-delete)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const u = await t.client().api('/users').post(newUserBody(t.domain, 'purge'));
    await t.client().api(`/users/${u.id}`).delete();
    assert.equal((await t.fetch('DELETE', `/v1.0/directory/deletedItems/${u.id}`)).status, 204);
    assert.equal((await t.fetch('GET', `/v1.0/directory/deletedItems/${u.id}`)).status, 404);
  });

  it('security groups are deleted permanently; Microsoft 365 groups can be restored (https://learn.microsoft.com/graph/api/directory-deleteditems-restore)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const sec = await t
      .client()
      .api('/groups')
      .post({ displayName: 'S', mailEnabled: false, mailNickname: 's', securityEnabled: true });
    const m365 = await t
      .client()
      .api('/groups')
      .post({
        displayName: 'M',
        mailEnabled: true,
        mailNickname: 'm',
        securityEnabled: false,
        groupTypes: ['Unified'],
      });
    await t.client().api(`/groups/${sec.id}`).delete();
    await t.client().api(`/groups/${m365.id}`).delete();
    assert.equal((await t.fetch('POST', `/v1.0/directory/deletedItems/${sec.id}/restore`)).status, 404);
    const r = await t.client().api(`/directory/deletedItems/${m365.id}/restore`).post({});
    assert.equal(r['@odata.type'], '#microsoft.graph.group');
  });
});
