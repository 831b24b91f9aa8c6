// Conformance: permissions and directory roles → 403 Authorization_RequestDenied "Insufficient privileges to
// complete the operation." (https://learn.microsoft.com/graph/api/user-update "Who can perform sensitive
// actions"; https://learn.microsoft.com/graph/api/user-post-users; graph-spec.md §1.3).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addTenant, newUserBody, rawFetch, startEmulator, tenantSeed, userToken } from './helpers';

describe('Graph permissions (conformance)', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  const denied = (res: { status: number; body: { error?: { code: string; message: string } } }): void => {
    assert.equal(res.status, 403);
    assert.equal(res.body.error?.code, 'Authorization_RequestDenied');
    assert.equal(res.body.error?.message, 'Insufficient privileges to complete the operation.');
  };

  it('User.Read.All cannot create users; it can read them (https://learn.microsoft.com/graph/api/user-post-users permissions)', async () => {
    const t = addTenant(emulator, tenantSeed({ permissions: ['User.Read.All'] }));
    denied(await t.fetch('POST', '/v1.0/users', { body: newUserBody(t.domain, 'x') }));
    assert.equal((await t.fetch('GET', '/v1.0/users')).status, 200);
  });

  it('an app token without roles is refused (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow: resources must check roles)', async () => {
    const t = addTenant(emulator, tenantSeed({ permissions: [] }));
    denied(await t.fetch('GET', '/v1.0/users'));
  });

  it('User.EnableDisableAccount.All may change accountEnabled but nothing else (graph-spec §1.3)', async () => {
    const seed = tenantSeed({ permissions: ['User.EnableDisableAccount.All', 'User.Read.All'], users: [] });
    seed.users = [{ userPrincipalName: `plain@${seed.domains[0]!.name}`, displayName: 'Plain' }];
    const t = addTenant(emulator, seed);
    const plain = [...t.tenant.users.values()][0]!;
    assert.equal(
      (await t.fetch('PATCH', `/v1.0/users/${plain.id}`, { body: { accountEnabled: false } })).status,
      204,
    );
    assert.equal(plain.properties.accountEnabled, false);
    denied(await t.fetch('PATCH', `/v1.0/users/${plain.id}`, { body: { jobTitle: 'x' } }));
  });

  it('disabling an admin needs a higher role: a User Administrator app cannot disable an Exchange Administrator', async () => {
    const t = addTenant(emulator, tenantSeed());
    const exAdmin = [...t.tenant.users.values()][0]!;
    denied(await t.fetch('PATCH', `/v1.0/users/${exAdmin.id}`, { body: { accountEnabled: false } }));
    const ga = addTenant(emulator, tenantSeed({ appRoles: ['Global Administrator'] }));
    const gaTarget = [...ga.tenant.users.values()][0]!;
    assert.equal(
      (await ga.fetch('PATCH', `/v1.0/users/${gaTarget.id}`, { body: { accountEnabled: false } })).status,
      204,
    );
  });

  it('password reset needs an admin role for app-only (User Administrator) and the admin hierarchy', async () => {
    const noRole = addTenant(emulator, tenantSeed({ appRoles: [] }));
    const u = await noRole.client().api('/users').post(newUserBody(noRole.domain, 'pw'));
    const reset = { passwordProfile: { password: 'N3w-Passw0rd!x', forceChangePasswordNextSignIn: true } };
    denied(await noRole.fetch('PATCH', `/v1.0/users/${u.id}`, { body: reset }));
    const ua = addTenant(emulator, tenantSeed());
    const v = await ua.client().api('/users').post(newUserBody(ua.domain, 'pw'));
    assert.equal((await ua.fetch('PATCH', `/v1.0/users/${v.id}`, { body: reset })).status, 204);
    const exAdmin = [...ua.tenant.users.values()].find((x) => x.id !== v.id)!;
    denied(await ua.fetch('PATCH', `/v1.0/users/${exAdmin.id}`, { body: reset }));
  });

  it('delegated: scopes are limited by the signed-in user roles (wids) for admin operations', async () => {
    const seed = tenantSeed({
      users: [
        { userPrincipalName: 'ua@x', displayName: 'UA', roles: ['User Administrator'] },
        { userPrincipalName: 'plain@x', displayName: 'Plain' },
      ],
    });
    const domain = seed.domains[0]!.name;
    seed.users = seed.users!.map((u) => ({
      ...u,
      userPrincipalName: u.userPrincipalName.replace('@x', `@${domain}`),
    }));
    const t = addTenant(emulator, seed);
    const [ua, plain] = [...t.tenant.users.values()];
    const scopes = ['User.ReadWrite.All'];
    const asUa = userToken(emulator, t.tenant, t.appId, ua!.id, scopes);
    const asPlain = userToken(emulator, t.tenant, t.appId, plain!.id, scopes);
    const created = await rawFetch(emulator, asUa, 'POST', '/v1.0/users', {
      body: newUserBody(t.domain, 'byua'),
    });
    assert.equal(created.status, 201);
    denied(
      await rawFetch(emulator, asPlain, 'POST', '/v1.0/users', { body: newUserBody(t.domain, 'byplain') }),
    );
    assert.equal((await rawFetch(emulator, asPlain, 'GET', '/v1.0/me')).body.id, plain!.id);
  });
});
