// Consent across tenants and the portal-like admin endpoints: a multi-tenant app is unusable in a customer tenant
// until an admin consents there (which creates its service principal), delegated admin-only scopes need an admin,
// directory roles appear as `wids`, and bad admin input is refused with 400.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../../../emulator/src/emulator';
import { DIRECTORY_ROLES } from '../../../emulator/src/state/model';
import { aadsts, admin, claimsOf, emulator, isolatedTenant, tokenRequest, type TestTenant } from './helpers';

const GRAPH = 'https://graph.microsoft.com/.default';
const REDIRECT = 'https://app.example.test/callback';

describe('consent and admin endpoints', () => {
  let emu: RunningEmulator;
  let home: TestTenant;
  let customer: TestTenant;
  let login: string;

  before(async () => {
    emu = await emulator();
    login = emu.context.endpoints.login;
    home = await isolatedTenant(emu, 'home', [REDIRECT]);
    customer = await isolatedTenant(emu, 'customer');
  });
  after(() => emu.close());

  const appToken = (tenant: string) =>
    tokenRequest(emu, tenant, {
      grant_type: 'client_credentials',
      client_id: home.appId,
      client_secret: home.secret,
      scope: GRAPH,
    });

  const visit = (path: string, params: Record<string, string>) =>
    fetch(`${login}/${path}?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });

  it('a single-tenant app is not found in another tenant; once multi-tenant, v1 admin consent there creates its service principal', async () => {
    assert.equal(aadsts((await appToken(customer.id)).body), 700016);
    const patched = await admin(emu, 'PATCH', `/tenants/${home.id}/applications/${home.appId}`, {
      multiTenant: true,
    });
    assert.equal(patched.status, 200);
    assert.equal(
      aadsts((await appToken(customer.id)).body),
      700016,
      'no service principal in the customer tenant yet',
    );

    const res = await visit(`${customer.id}/adminconsent`, {
      client_id: home.appId,
      redirect_uri: REDIRECT,
      state: 's1',
      login_hint: customer.adminUpn,
      emulator_password: customer.password,
    });
    assert.equal(res.status, 200, 'the admin sees the consent page');
    const html = await res.text();
    assert.match(html, /Group\.ReadWrite\.All/);
    const ctx = /name="ctx" value="([^"]+)"/.exec(html)![1]!;
    const accepted = await fetch(`${login}/${customer.id}/consent`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ctx, decision: 'accept' }).toString(),
    });
    assert.equal(accepted.status, 302);
    const back = new URL(accepted.headers.get('location')!);
    assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
    assert.deepEqual(Object.fromEntries(back.searchParams), {
      tenant: customer.id,
      admin_consent: 'True',
      state: 's1',
    });

    const token = await appToken(customer.id);
    assert.equal(token.status, 200);
    const claims = claimsOf(String(token.body.access_token));
    assert.equal(claims.tid, customer.id);
    assert.deepEqual((claims.roles as string[]).sort(), ['Group.ReadWrite.All', 'User.ReadWrite.All']);
    const sp = emu.context.state.servicePrincipalByAppId(emu.context.state.tenant(customer.id)!, home.appId)!;
    assert.equal(sp.appOwnerTenantId, home.id);
    assert.equal(claims.oid, sp.id);
  });

  it('cancelling v1 admin consent redirects with permission_denied', async () => {
    const res = await visit(`${customer.domain}/adminconsent`, {
      client_id: home.appId,
      redirect_uri: REDIRECT,
      state: 's2',
      login_hint: customer.adminUpn,
      emulator_password: customer.password,
    });
    const ctx = /name="ctx" value="([^"]+)"/.exec(await res.text())![1]!;
    const cancelled = await fetch(`${login}/${customer.domain}/consent`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ctx, decision: 'cancel' }).toString(),
    });
    const q = new URL(cancelled.headers.get('location')!).searchParams;
    assert.equal(q.get('error'), 'permission_denied');
    assert.equal(q.get('state'), 's2');
  });

  it('a user asking for an admin-only delegated scope gets "Need admin approval"; prompt=none without a session gets login_required', async () => {
    const res = await visit(`${home.id}/oauth2/v2.0/authorize`, {
      client_id: home.appId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid User.Read.All',
      login_hint: home.userUpn,
      emulator_password: home.password,
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Need admin approval/);

    const silent = await visit(`${home.id}/oauth2/v2.0/authorize`, {
      client_id: home.appId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid User.Read',
      prompt: 'none',
      state: 'x',
    });
    const q = new URL(silent.headers.get('location')!).searchParams;
    assert.equal(q.get('error'), 'login_required');
    assert.match(q.get('error_description')!, /^AADSTS50058:/);
    assert.equal(q.get('state'), 'x');
  });

  it('admin consent without a browser, the auto-consent setting, and removing one permission', async () => {
    const granted = await admin(emu, 'POST', `/tenants/${home.id}/consents`, {
      clientAppId: home.appId,
      delegated: { graph: ['User.Read'] },
      principal: home.userUpn,
    });
    assert.equal(granted.status, 200);
    const settings = await admin(emu, 'PATCH', '/identity/settings', { signInWithLoginHint: true });
    assert.equal(settings.body.signInWithLoginHint, true);
    const res = await visit(`${home.id}/oauth2/v2.0/authorize`, {
      client_id: home.appId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid User.Read',
      login_hint: home.userUpn,
    });
    assert.equal(res.status, 302, 'login_hint alone signs in and the existing grant needs no consent page');
    const withMail = await visit(`${home.id}/oauth2/v2.0/authorize`, {
      client_id: home.appId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid Mail.Send',
      login_hint: home.userUpn,
    });
    assert.equal(withMail.status, 200, 'a new scope needs consent');
    await admin(emu, 'PATCH', '/identity/settings', { autoConsent: true });
    const auto = await visit(`${home.id}/oauth2/v2.0/authorize`, {
      client_id: home.appId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid Mail.Send',
      login_hint: home.userUpn,
    });
    assert.equal(auto.status, 302);
    await admin(emu, 'PATCH', '/identity/settings', { autoConsent: false, signInWithLoginHint: false });

    assert.equal(
      (
        await admin(
          emu,
          'DELETE',
          `/tenants/${home.id}/consents/${home.appId}/graph/User.ReadWrite.All?type=application`,
        )
      ).status,
      204,
    );
    const token = await appToken(home.id);
    assert.equal(
      claimsOf(String(token.body.access_token)).roles,
      undefined,
      'no permission left → no roles claim',
    );
    assert.equal(
      (
        await admin(
          emu,
          'DELETE',
          `/tenants/${home.id}/consents/${home.appId}/graph/User.ReadWrite.All?type=application`,
        )
      ).status,
      404,
    );
  });

  it('directory roles assigned to the service principal show in wids, and go when removed', async () => {
    const sp = emu.context.state.servicePrincipalByAppId(emu.context.state.tenant(home.id)!, home.appId)!;
    const assigned = await admin(emu, 'POST', `/tenants/${home.id}/roleAssignments`, {
      principal: home.appId,
      role: 'User Administrator',
    });
    assert.equal(assigned.status, 201);
    assert.equal(assigned.body.principalId, sp.id);
    assert.deepEqual(claimsOf(String((await appToken(home.id)).body.access_token)).wids, [
      DIRECTORY_ROLES['User Administrator'],
    ]);
    assert.equal(
      (await admin(emu, 'DELETE', `/tenants/${home.id}/roleAssignments/${String(assigned.body.id)}`)).status,
      204,
    );
    assert.equal(claimsOf(String((await appToken(home.id)).body.access_token)).wids, undefined);
  });

  it('default seed: a customer admin consents to the multi-tenant service-provider app through /organizations, then its users sign in there', async () => {
    const hosting = emu.context.state.seed.tenants[0]!;
    const providerApp = hosting.applications![0]!;
    const contoso = emu.context.state.tenant('contoso.test')!;
    const redirectUri = providerApp.redirectUris![0]!;
    const res = await visit('organizations/v2.0/adminconsent', {
      client_id: providerApp.appId!,
      redirect_uri: redirectUri,
      scope: 'https://graph.microsoft.com/.default',
      state: 'onboard',
      login_hint: 'global.admin@contoso.test',
      emulator_password: 'Tenure-Demo-1!',
    });
    const ctx = /name="ctx" value="([^"]+)"/.exec(await res.text())![1]!;
    const accepted = await fetch(`${login}/organizations/consent`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ctx, decision: 'accept' }).toString(),
    });
    const q = new URL(accepted.headers.get('location')!).searchParams;
    assert.equal(q.get('admin_consent'), 'True');
    assert.equal(q.get('tenant'), contoso.id);
    assert.ok(
      emu.context.state.servicePrincipalByAppId(contoso, providerApp.appId!),
      'consent created the service principal',
    );

    const signIn = await visit('organizations/oauth2/v2.0/authorize', {
      client_id: providerApp.appId!,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid offline_access https://graph.microsoft.com/.default',
      login_hint: 'admin@contoso.test',
      emulator_password: 'Tenure-Demo-1!',
    });
    assert.equal(signIn.status, 302, 'tenant-wide consent means no consent page for a non-admin user');
    const code = new URL(signIn.headers.get('location')!).searchParams.get('code')!;
    const token = await tokenRequest(emu, 'organizations', {
      grant_type: 'authorization_code',
      client_id: providerApp.appId!,
      code,
      redirect_uri: redirectUri,
    });
    assert.equal(token.status, 200);
    const claims = claimsOf(String(token.body.access_token));
    assert.equal(claims.tid, contoso.id);
    assert.equal(claims.scp, 'User.ReadWrite.All Group.ReadWrite.All Directory.AccessAsUser.All');
    assert.deepEqual(
      (claims.wids as string[]).sort(),
      [DIRECTORY_ROLES['Exchange Administrator'], DIRECTORY_ROLES['User Administrator']].sort(),
    );
  });

  it('creates app registrations and refuses bad admin input with 400', async () => {
    const created = await admin(emu, 'POST', `/tenants/${home.id}/applications`, {
      displayName: 'New app',
      redirectUris: [REDIRECT],
    });
    assert.equal(created.status, 201);
    const secret = await admin(
      emu,
      'POST',
      `/tenants/${home.id}/applications/${String(created.body.appId)}/secrets`,
      {},
    );
    const token = await tokenRequest(emu, home.id, {
      grant_type: 'client_credentials',
      client_id: String(created.body.appId),
      client_secret: String(secret.body.secretText),
      scope: GRAPH,
    });
    assert.equal(token.status, 200);
    assert.equal(claimsOf(String(token.body.access_token)).roles, undefined);

    assert.equal((await admin(emu, 'POST', `/tenants/${home.id}/applications`, {})).status, 400);
    assert.equal(
      (
        await admin(emu, 'POST', `/tenants/${home.id}/applications/${home.appId}/certificates`, {
          pem: 'not a certificate',
        })
      ).status,
      400,
    );
    assert.equal(
      (
        await admin(emu, 'POST', `/tenants/${home.id}/roleAssignments`, {
          principal: home.userUpn,
          role: 'Supreme Leader',
        })
      ).status,
      400,
    );
    assert.equal(
      (
        await admin(emu, 'POST', `/tenants/${home.id}/consents`, {
          clientAppId: home.appId,
          appPermissions: { nowhere: ['x'] },
        })
      ).status,
      400,
    );
    assert.equal((await admin(emu, 'PATCH', '/identity/settings', { autoConsent: 'yes' })).status, 400);
    assert.equal(
      (await admin(emu, 'POST', `/tenants/${randomUUID()}/applications`, { displayName: 'x' })).status,
      404,
    );
  });
});
