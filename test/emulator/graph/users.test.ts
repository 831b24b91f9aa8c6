// Conformance: Graph users — create rules, uniqueness, update, manager. Each case names the documented behaviour
// it checks (URL + status/code/details).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addTenant, errorBody, graphFailure, newUserBody, startEmulator, tenantSeed } from './helpers';

describe('Graph users (conformance)', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  it('POST /users → 201 with the default property subset (https://learn.microsoft.com/graph/api/user-post-users; https://learn.microsoft.com/graph/api/resources/user default properties)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const created = await t
      .client()
      .api('/users')
      .post(newUserBody(t.domain, 'adele', { employeeId: 'E1', usageLocation: 'NL' }));
    assert.equal(created.userPrincipalName, `adele@${t.domain}`);
    assert.match(created.id, /^[0-9a-f-]{36}$/);
    assert.ok('businessPhones' in created && 'mail' in created);
    assert.equal(created.employeeId, undefined, 'employeeId is not in the default set');
    const selected = await t
      .client()
      .api(`/users/adele@${t.domain}`)
      .select('employeeId,usageLocation')
      .get();
    assert.equal(selected.employeeId, 'E1');
    assert.equal(selected.usageLocation, 'NL');
    assert.equal(selected.displayName, undefined);
  });

  it('duplicate userPrincipalName → 400 Request_BadRequest with details ObjectConflict/userPrincipalName (https://github.com/microsoftgraph/microsoft-graph-docs/issues/1508)', async () => {
    const t = addTenant(emulator, tenantSeed());
    await t.client().api('/users').post(newUserBody(t.domain, 'dup'));
    const e = await graphFailure(() => t.client().api('/users').post(newUserBody(t.domain, 'DUP')));
    assert.equal(e.statusCode, 400);
    const body = errorBody(e);
    assert.equal(body.code, 'Request_BadRequest');
    assert.equal(
      body.message,
      'Another object with the same value for property userPrincipalName already exists.',
    );
    assert.deepEqual(body.details, [{ target: 'userPrincipalName', code: 'ObjectConflict' }]);
    assert.ok(
      body.innerError?.['request-id'] && body.innerError?.date && body.innerError?.['client-request-id'],
    );
  });

  it('duplicate proxy address via mail → 400 with ObjectConflict + ConflictingObjects (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/8421)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const first = await t
      .client()
      .api('/users')
      .post(newUserBody(t.domain, 'first', { mail: `shared@${t.domain}` }));
    const second = await t.client().api('/users').post(newUserBody(t.domain, 'second'));
    const e = await graphFailure(() =>
      t
        .client()
        .api(`/users/${second.id}`)
        .patch({ mail: `SHARED@${t.domain}` }),
    );
    const body = errorBody(e);
    assert.equal(e.statusCode, 400);
    assert.equal(body.code, 'Request_BadRequest');
    assert.equal(
      body.message,
      'Another object with the same value for property proxyAddresses already exists.',
    );
    assert.deepEqual(
      body.details?.map((d) => [d.code, d.target]),
      [
        ['ObjectConflict', 'proxyAddresses'],
        ['ConflictingObjects', first.id],
      ],
    );
    const after = await t.client().api(`/users/${second.id}`).select('mail,proxyAddresses').get();
    assert.equal(after.mail, null, 'nothing was written');
  });

  it('mail sets the primary SMTP proxy address; proxyAddresses is read-only (https://learn.microsoft.com/graph/api/resources/user "mail and proxyAddresses")', async () => {
    const t = addTenant(emulator, tenantSeed());
    const u = await t
      .client()
      .api('/users')
      .post(newUserBody(t.domain, 'px', { mail: `px@${t.domain}` }));
    await t
      .client()
      .api(`/users/${u.id}`)
      .patch({ mail: `px.new@${t.domain}` });
    const got = await t.client().api(`/users/${u.id}`).select('proxyAddresses').get();
    assert.deepEqual(got.proxyAddresses, [`SMTP:px.new@${t.domain}`, `smtp:px@${t.domain}`]);
    const e = await graphFailure(() =>
      t
        .client()
        .api(`/users/${u.id}`)
        .patch({ proxyAddresses: ['SMTP:x@y.test'] }),
    );
    assert.equal(e.statusCode, 400);
    assert.equal(errorBody(e).code, 'Request_BadRequest');
  });

  it('unverified UPN domain → 400 (https://learn.microsoft.com/graph/api/user-post-users: domain must be a verified domain)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const e = await graphFailure(() =>
      t
        .client()
        .api('/users')
        .post(newUserBody(`unverified-${t.domain}`, 'nope')),
    );
    assert.equal(e.statusCode, 400);
    const body = errorBody(e);
    assert.equal(body.code, 'Request_BadRequest');
    assert.match(body.message, /verified domain names/);
  });

  it('UPN characters, required properties, federated domain needs onPremisesImmutableId (https://learn.microsoft.com/graph/api/user-post-users)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const bad = await graphFailure(() => t.client().api('/users').post(newUserBody(t.domain, 'jös')));
    assert.equal(bad.statusCode, 400);
    const body = newUserBody(t.domain, 'noNick');
    delete body.mailNickname;
    const missing = await graphFailure(() => t.client().api('/users').post(body));
    assert.equal(
      errorBody(missing).message,
      'Property mailNickname value is required but is empty or missing.',
    );
    const noPassword = await graphFailure(() =>
      t
        .client()
        .api('/users')
        .post(newUserBody(t.domain, 'nopw', { passwordProfile: { forceChangePasswordNextSignIn: true } })),
    );
    assert.equal(errorBody(noPassword).message, 'A password must be specified to create a new user.');
    const fed = await graphFailure(() =>
      t
        .client()
        .api('/users')
        .post(newUserBody(`fed-${t.domain}`, 'fed')),
    );
    assert.equal(fed.statusCode, 400);
    assert.equal(errorBody(fed).message, 'One or more properties contains invalid values.');
    const ok = await t
      .client()
      .api('/users')
      .post(newUserBody(`fed-${t.domain}`, 'fed', { onPremisesImmutableId: 'abc123==' }));
    assert.ok(ok.id);
  });

  it('weak password → 400 password complexity (graph-spec §1.3)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const e = await graphFailure(() =>
      t
        .client()
        .api('/users')
        .post(newUserBody(t.domain, 'weak', { passwordProfile: { password: 'password' } })),
    );
    assert.equal(
      errorBody(e).message,
      'The specified password does not comply with password complexity requirements. Please provide a different password.',
    );
  });

  it('employeeId longer than 16 → 400; PATCH → 204; displayName cannot be cleared (https://learn.microsoft.com/graph/api/resources/user, https://learn.microsoft.com/graph/api/user-update)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const e = await graphFailure(() =>
      t
        .client()
        .api('/users')
        .post(newUserBody(t.domain, 'long', { employeeId: '12345678901234567' })),
    );
    assert.equal(e.statusCode, 400);
    const u = await t.client().api('/users').post(newUserBody(t.domain, 'patchme'));
    const res = await t.fetch('PATCH', `/v1.0/users/${u.id}`, {
      body: { jobTitle: 'Engineer', employeeType: 'Contractor' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.ok(res.headers.get('request-id'));
    const cleared = await graphFailure(() => t.client().api(`/users/${u.id}`).patch({ displayName: null }));
    assert.equal(cleared.statusCode, 400);
  });

  it('employeeOrgData: an omitted member is set to null (https://learn.microsoft.com/graph/api/resources/employeeorgdata)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const u = await t
      .client()
      .api('/users')
      .post(newUserBody(t.domain, 'org', { employeeOrgData: { division: 'R&D', costCenter: 'CC1' } }));
    await t
      .client()
      .api(`/users/${u.id}`)
      .patch({ employeeOrgData: { division: 'Sales' } });
    const got = await t.client().api(`/users/${u.id}`).select('employeeOrgData').get();
    assert.deepEqual(got.employeeOrgData, { division: 'Sales', costCenter: null });
  });

  it('employeeLeaveDateTime needs User-LifeCycleInfo.ReadWrite.All (https://learn.microsoft.com/graph/tutorial-lifecycle-workflows-set-employeeleavedatetime)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const u = await t.client().api('/users').post(newUserBody(t.domain, 'leaver'));
    const denied = await graphFailure(() =>
      t.client().api(`/users/${u.id}`).patch({ employeeLeaveDateTime: '2022-09-30T23:59:59Z' }),
    );
    assert.equal(denied.statusCode, 403);
    assert.equal(errorBody(denied).code, 'Authorization_RequestDenied');
    const lc = addTenant(
      emulator,
      tenantSeed({
        permissions: ['User.Read.All', 'User-LifeCycleInfo.ReadWrite.All', 'User.ReadWrite.All'],
      }),
    );
    const v = await lc.client().api('/users').post(newUserBody(lc.domain, 'leaver'));
    const res = await lc.fetch('PATCH', `/v1.0/users/${v.id}`, {
      body: { employeeLeaveDateTime: '2022-09-30T23:59:59Z' },
    });
    assert.equal(res.status, 204);
    const got = await lc.client().api(`/users/${v.id}`).select('employeeLeaveDateTime').get();
    assert.equal(got.employeeLeaveDateTime, '2022-09-30T23:59:59Z');
    const reset = await lc.fetch('PATCH', `/v1.0/users/${v.id}`, { body: { employeeLeaveDateTime: null } });
    assert.equal(reset.status, 204);
  });

  it('unknown user → 404 Request_ResourceNotFound (graph-spec §1.6)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const id = '73f6134c-e647-4ab1-8ccb-287be982da02';
    const e = await graphFailure(() => t.client().api(`/users/${id}`).get());
    assert.equal(e.statusCode, 404);
    const body = errorBody(e);
    assert.equal(body.code, 'Request_ResourceNotFound');
    assert.equal(
      body.message,
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  });

  it('manager: PUT $ref 204, GET, directReports, DELETE $ref, 404 when none (https://learn.microsoft.com/graph/api/user-post-manager, https://learn.microsoft.com/graph/api/user-list-manager)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const boss = await t.client().api('/users').post(newUserBody(t.domain, 'boss'));
    const worker = await t.client().api('/users').post(newUserBody(t.domain, 'worker'));
    const none = await graphFailure(() => t.client().api(`/users/${worker.id}/manager`).get());
    assert.equal(none.statusCode, 404);
    assert.equal(errorBody(none).code, 'Request_ResourceNotFound');
    const put = await t.fetch('PUT', `/v1.0/users/${worker.id}/manager/$ref`, {
      body: { '@odata.id': `https://graph.microsoft.com/v1.0/users/${boss.id}` },
    });
    assert.equal(put.status, 204);
    const m = await t.client().api(`/users/${worker.id}/manager`).get();
    assert.equal(m.id, boss.id);
    assert.equal(m['@odata.type'], '#microsoft.graph.user');
    const reports = await t.client().api(`/users/${boss.id}/directReports`).get();
    assert.deepEqual(
      reports.value.map((r: { id: string }) => r.id),
      [worker.id],
    );
    // $expand=manager($select=…) on GET and on lists; an unknown navigation property is refused.
    const expanded = await t
      .client()
      .api(`/users/${worker.id}`)
      .expand('manager($select=id,displayName)')
      .get();
    assert.deepEqual(expanded.manager, {
      '@odata.type': '#microsoft.graph.user',
      id: boss.id,
      displayName: 'User boss',
    });
    const listed = await t.client().api('/users').filter(`id eq '${worker.id}'`).expand('manager').get();
    assert.equal(listed.value[0].manager.id, boss.id);
    assert.equal((await t.fetch('GET', `/v1.0/users/${worker.id}?$expand=nothing`)).status, 400);
    const del = await t.fetch('DELETE', `/v1.0/users/${worker.id}/manager/$ref`);
    assert.equal(del.status, 204);
    assert.equal((await t.fetch('GET', `/v1.0/users/${worker.id}/manager`)).status, 404);
  });

  it('a manager cannot be set in the POST /users body (graph-spec §2.1)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const e = await graphFailure(() =>
      t
        .client()
        .api('/users')
        .post(
          newUserBody(t.domain, 'mgr', { 'manager@odata.bind': 'https://graph.microsoft.com/v1.0/users/x' }),
        ),
    );
    assert.equal(e.statusCode, 400);
  });

  it('revokeSignInSessions → 200 {value:true} and moves signInSessionsValidFromDateTime (https://learn.microsoft.com/graph/api/user-revokesigninsessions)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const u = await t.client().api('/users').post(newUserBody(t.domain, 'revoke'));
    emulator.context.state.clock.advance(60_000);
    const res = await t.client().api(`/users/${u.id}/revokeSignInSessions`).post({});
    assert.equal(res.value, true);
    const stored = t.tenant.users.get(u.id)!;
    assert.ok(Math.abs(stored.signInSessionsValidFrom - emulator.context.state.clock.now()) < 5_000);
    const got = await t.client().api(`/users/${u.id}`).select('signInSessionsValidFromDateTime').get();
    assert.equal(
      Date.parse(got.signInSessionsValidFromDateTime),
      Math.floor(stored.signInSessionsValidFrom / 1000) * 1000,
    );
  });

  it('no or bad token → 401 InvalidAuthenticationToken (graph errors)', async () => {
    const res = await fetch(emulator.context.endpoints.graph + '/v1.0/users');
    assert.equal(res.status, 401);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'InvalidAuthenticationToken');
    assert.equal(body.error.message, 'Access token is empty.');
  });
});
