// Conformance: what a connection check reads (https://learn.microsoft.com/graph/api/organization-get,
// https://learn.microsoft.com/graph/api/serviceprincipal-list, https://learn.microsoft.com/graph/api/serviceprincipal-get,
// https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIRECTORY_ROLES } from '../../../emulator/src/state/model';
import { addTenant, startEmulator, tenantSeed } from './helpers';

describe('Graph organization, service principals, roles (conformance)', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  it('GET /organization lists only verified domains with type and default flags', async () => {
    const t = addTenant(emulator, tenantSeed());
    const org = await t.client().api('/organization').get();
    assert.equal(org.value[0].id, t.tenant.id);
    const domains = org.value[0].verifiedDomains as { name: string; isDefault: boolean; type: string }[];
    assert.deepEqual(
      domains.map((d) => [d.name, d.isDefault, d.type]),
      [
        [t.domain, true, 'Managed'],
        [`fed-${t.domain}`, false, 'Federated'],
      ],
    );
  });

  it("service principals: $filter appId eq, GET by id, GET servicePrincipals(appId='…')", async () => {
    const t = addTenant(emulator, tenantSeed());
    const list = await t.client().api('/servicePrincipals').filter(`appId eq '${t.appId}'`).get();
    assert.deepEqual(
      list.value.map((s: { id: string }) => s.id),
      [t.sp.id],
    );
    const byId = await t.client().api(`/servicePrincipals/${t.sp.id}`).get();
    assert.equal(byId.appId, t.appId);
    const byAppId = await t.client().api(`/servicePrincipals(appId='${t.appId}')`).get();
    assert.equal(byAppId.id, t.sp.id);
  });

  it('role assignments filtered by principalId carry the built-in template ids; roleDefinitions list them', async () => {
    const t = addTenant(emulator, tenantSeed());
    const res = await t
      .client()
      .api('/roleManagement/directory/roleAssignments')
      .filter(`principalId eq '${t.sp.id}'`)
      .get();
    assert.deepEqual(
      res.value.map((r: { roleDefinitionId: string }) => r.roleDefinitionId),
      [DIRECTORY_ROLES['User Administrator']],
    );
    const defs = await t.client().api('/roleManagement/directory/roleDefinitions').get();
    const ua = defs.value.find((d: { displayName: string }) => d.displayName === 'User Administrator');
    assert.equal(ua.templateId, 'fe930be7-5e62-47db-91af-98c3a49a38b1');
  });

  it('unknown segment → 400 BadRequest "Resource not found for the segment"', async () => {
    const t = addTenant(emulator, tenantSeed());
    const res = await t.fetch('GET', '/v1.0/nonsense');
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.message, "Resource not found for the segment 'nonsense'.");
    const wrongMethod = await t.fetch('PUT', `/v1.0/users/${t.sp.id}`);
    assert.equal(wrongMethod.status, 405);
  });
});
