// Every attribute a flow may map is read back (else the planner would see it missing and write it on every run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENTRA_USER_ATTRIBUTES } from '../../shared/flows/entra-attributes';
import { USER_SELECT } from '../../shared/graph/userShape';

test('$select covers every mappable attribute (by parent property) except employeeLeaveDateTime', () => {
  const select = new Set(USER_SELECT);
  for (const attribute of ENTRA_USER_ATTRIBUTES) {
    if (attribute === 'employeeLeaveDateTime') continue;
    assert.ok(select.has(attribute.split('/')[0]), attribute);
  }
  assert.equal(select.has('employeeLeaveDateTime'), false);
  assert.equal(select.has('onPremisesExtensionAttributes/extensionAttribute1'), false);
  for (const own of [
    'id',
    'accountEnabled',
    'employeeId',
    'userPrincipalName',
    'proxyAddresses',
    'deletedDateTime',
  ])
    assert.ok(select.has(own), own);
  assert.equal(USER_SELECT.length, select.size);
});
