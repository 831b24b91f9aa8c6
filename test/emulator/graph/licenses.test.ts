// Conformance: licences (https://learn.microsoft.com/graph/api/user-assignlicense,
// https://learn.microsoft.com/graph/api/subscribedsku-list, https://learn.microsoft.com/graph/api/user-list-licensedetails;
// graph-spec.md §2.3).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addTenant,
  E3,
  errorBody,
  EXCHANGE_PLAN,
  graphFailure,
  newUserBody,
  startEmulator,
  tenantSeed,
} from './helpers';

describe('Graph licences (conformance)', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  it('assignLicense without usageLocation → 400 "License assignment cannot be done for user with invalid usage location." (https://learn.microsoft.com/graph/api/user-assignlicense)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const u = await t.client().api('/users').post(newUserBody(t.domain, 'nolocation'));
    const e = await graphFailure(() =>
      t
        .client()
        .api(`/users/${u.id}/assignLicense`)
        .post({ addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] }),
    );
    assert.equal(e.statusCode, 400);
    assert.equal(errorBody(e).code, 'Request_BadRequest');
    assert.equal(
      errorBody(e).message,
      'License assignment cannot be done for user with invalid usage location.',
    );
  });

  it('assignLicense → 200 user; consumedUnits rises; licenseDetails lists plans; Exchange plan provisions a mailbox', async () => {
    const t = addTenant(emulator, tenantSeed());
    const u = await t
      .client()
      .api('/users')
      .post(newUserBody(t.domain, 'licensed', { usageLocation: 'US' }));
    const res = await t
      .client()
      .api(`/users/${u.id}/assignLicense`)
      .post({ addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] });
    assert.equal(res.id, u.id);
    const skus = await t.client().api('/subscribedSkus').get();
    assert.equal(skus.value[0].consumedUnits, 1);
    assert.equal(skus.value[0].prepaidUnits.enabled, 5);
    const withLicence = await t
      .client()
      .api('/users')
      .filter(`assignedLicenses/any(x:x/skuId eq ${E3})`)
      .select('id')
      .get();
    assert.deepEqual(withLicence.value, [{ id: u.id }]);
    const details = await t.client().api(`/users/${u.id}/licenseDetails`).get();
    assert.equal(details.value[0].skuPartNumber, 'SPE_E3');
    assert.equal(details.value[0].servicePlans[0].servicePlanId, EXCHANGE_PLAN);
    assert.equal(t.tenant.mailboxes.get(u.id)?.recipientTypeDetails, 'UserMailbox');
    await t
      .client()
      .api(`/users/${u.id}/assignLicense`)
      .post({ addLicenses: [], removeLicenses: [E3] });
    assert.ok(t.tenant.mailboxes.has(u.id), 'removing the licence keeps the mailbox');
    assert.equal((await t.client().api('/subscribedSkus').get()).value[0].consumedUnits, 0);
  });

  it('assignLicense with no seats left → 400 "Subscription with SKU … does not have any available licenses." (graph-spec §2.3)', async () => {
    const t = addTenant(emulator, tenantSeed({ seats: 1 }));
    const a = await t
      .client()
      .api('/users')
      .post(newUserBody(t.domain, 'a', { usageLocation: 'US' }));
    const b = await t
      .client()
      .api('/users')
      .post(newUserBody(t.domain, 'b', { usageLocation: 'US' }));
    await t
      .client()
      .api(`/users/${a.id}/assignLicense`)
      .post({ addLicenses: [{ skuId: E3 }], removeLicenses: [] });
    const e = await graphFailure(() =>
      t
        .client()
        .api(`/users/${b.id}/assignLicense`)
        .post({ addLicenses: [{ skuId: E3 }], removeLicenses: [] }),
    );
    assert.equal(e.statusCode, 400);
    assert.equal(errorBody(e).code, 'Request_BadRequest');
    assert.equal(errorBody(e).message, `Subscription with SKU ${E3} does not have any available licenses.`);
  });

  it('unknown skuId → 400 (https://learn.microsoft.com/graph/api/user-assignlicense)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const u = await t
      .client()
      .api('/users')
      .post(newUserBody(t.domain, 'x', { usageLocation: 'US' }));
    const e = await graphFailure(() =>
      t
        .client()
        .api(`/users/${u.id}/assignLicense`)
        .post({ addLicenses: [{ skuId: '11111111-1111-1111-1111-111111111111' }], removeLicenses: [] }),
    );
    assert.equal(e.statusCode, 400);
  });
});
