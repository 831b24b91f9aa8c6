// The authorization-code flow end to end in headless Chromium through the emulator's sign-in and consent pages,
// redeemed with PKCE by MSAL Node, then refreshed and rotated; and the refusals (PKCE, reuse, expiry, revoked
// sessions, inactivity, withdrawn consent, unregistered redirect URIs), each asserted by its AADSTS code.
import { ConfidentialClientApplication } from '@azure/msal-node';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningEmulator } from '../../../emulator/src/emulator';
import { CHROMIUM, launchBrowser, redirectListener, type RedirectListener } from './browser';
import { aadsts, admin, claimsOf, emulator, isolatedTenant, tokenRequest, type TestTenant } from './helpers';

const SCOPES = 'openid profile offline_access User.Read Mail.Read';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('authorization code flow', () => {
  let emu: RunningEmulator;
  let t: TestTenant;
  let app: RedirectListener;
  let login: string;

  before(async () => {
    emu = await emulator();
    login = emu.context.endpoints.login;
    app = await redirectListener();
    t = await isolatedTenant(emu, 'authcode', [app.uri]);
  });
  after(async () => {
    await app.close();
    await emu.close();
  });

  const authorizeUrl = (params: Record<string, string>, tenant = t.id, path = 'oauth2/v2.0/authorize') =>
    `${login}/${tenant}/${path}?${new URLSearchParams(params).toString()}`;

  /** The automation shortcut: login_hint + emulator_password, no browser; returns the redirect's parameters. */
  async function shortcut(params: Record<string, string>, upn = t.userUpn): Promise<Record<string, string>> {
    const res = await fetch(
      authorizeUrl({
        client_id: t.appId,
        response_type: 'code',
        redirect_uri: app.uri,
        scope: SCOPES,
        login_hint: upn,
        emulator_password: t.password,
        ...params,
      }),
      { redirect: 'manual' },
    );
    assert.equal(
      res.status,
      302,
      `expected a redirect, got ${res.status}: ${(await res.text()).slice(0, 300)}`,
    );
    return Object.fromEntries(new URL(res.headers.get('location')!).searchParams);
  }

  const redeem = (code: string, verifier: string, extra: Record<string, string> = {}) =>
    tokenRequest(emu, t.id, {
      grant_type: 'authorization_code',
      client_id: t.appId,
      client_secret: t.secret,
      code,
      redirect_uri: app.uri,
      code_verifier: verifier,
      scope: SCOPES,
      ...extra,
    });

  const refresh = (refreshToken: string) =>
    tokenRequest(emu, t.id, {
      grant_type: 'refresh_token',
      client_id: t.appId,
      client_secret: t.secret,
      refresh_token: refreshToken,
      scope: SCOPES,
    });

  describe(
    'in a real browser',
    { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install -y chromium)` },
    () => {
      let browser: Browser;
      before(async () => {
        browser = await launchBrowser();
      });
      after(async () => {
        await browser?.close();
      });

      it('signs in, consents, lands on the app, redeems with PKCE via MSAL Node, refreshes and rotates', async () => {
        const { verifier, challenge } = pkce();
        const state = randomBytes(8).toString('hex');
        // The emulator's CA is trusted by Node (NODE_EXTRA_CA_CERTS), not by Chromium.
        const context = await browser.newContext({ ignoreHTTPSErrors: true });
        const page = await context.newPage();
        await page.goto(
          authorizeUrl({
            client_id: t.appId,
            response_type: 'code',
            redirect_uri: app.uri,
            scope: SCOPES,
            state,
            code_challenge: challenge,
            code_challenge_method: 'S256',
          }),
        );
        await page.fill('#i0116', t.userUpn);
        await page.fill('#i0118', 'wrong password');
        await page.click('#idSIButton9');
        assert.match((await page.textContent('#usernameError')) ?? '', /AADSTS50126/);
        await page.fill('#i0118', t.password);
        await page.click('#idSIButton9');
        const asked = await page.$$eval('#permissions li', (lis) =>
          lis.map((li) => li.getAttribute('data-permission')),
        );
        assert.deepEqual(asked.sort(), ['Mail.Read', 'User.Read']);
        await page.click('#idBtn_Accept');
        await page.waitForSelector('#app-landed');
        const landed = app.hits.at(-1)!;
        assert.equal(landed.state, state);
        assert.ok(landed.code);

        const msal = new ConfidentialClientApplication({
          auth: {
            clientId: t.appId,
            clientSecret: t.secret,
            authority: `${login}/${t.id}`,
            knownAuthorities: [login],
          },
        });
        const result = await msal.acquireTokenByCode({
          code: landed.code,
          scopes: ['User.Read', 'Mail.Read'],
          redirectUri: app.uri,
          codeVerifier: verifier,
        });
        const access = claimsOf(result.accessToken);
        assert.equal(access.aud, 'https://graph.microsoft.com');
        assert.equal(access.scp, 'User.Read Mail.Read');
        assert.equal(access.upn, t.userUpn);
        assert.equal(access.idtyp, 'user');
        assert.equal(result.account?.username, t.userUpn);
        assert.equal(result.idTokenClaims && (result.idTokenClaims as Record<string, unknown>).tid, t.id);

        // Single sign-on: a second authorize in the same browser needs neither password nor consent.
        await page.goto(
          authorizeUrl({
            client_id: t.appId,
            response_type: 'code',
            redirect_uri: app.uri,
            scope: SCOPES,
            state: 'again',
            response_mode: 'form_post',
          }),
        );
        await page.waitForSelector('#app-landed');
        assert.equal(app.hits.at(-1)!.state, 'again');
        assert.ok(app.hits.at(-1)!.code, 'form_post delivered the code');

        // Refresh: a new refresh token every time, and the old one still works.
        const first = await redeem(
          (await shortcut({ code_challenge: challenge, code_challenge_method: 'S256' })).code!,
          verifier,
        );
        assert.equal(first.status, 200);
        const rt1 = String(first.body.refresh_token);
        const r2 = await refresh(rt1);
        assert.equal(r2.status, 200);
        const rt2 = String(r2.body.refresh_token);
        assert.notEqual(rt2, rt1);
        assert.equal((await refresh(rt1)).status, 200, 'the old refresh token keeps working');
        assert.equal((await refresh(rt2)).status, 200);
        await context.close();
      });

      it('admin consent in the browser: a non-admin gets "Need admin approval", an admin grants the app permissions', async () => {
        const url = authorizeUrl(
          {
            client_id: t.appId,
            redirect_uri: app.uri,
            scope: 'https://graph.microsoft.com/.default',
            state: 'ac',
          },
          t.id,
          'v2.0/adminconsent',
        );
        const userCtx = await browser.newContext({ ignoreHTTPSErrors: true });
        const userPage = await userCtx.newPage();
        await userPage.goto(url);
        await userPage.fill('#i0116', t.userUpn);
        await userPage.fill('#i0118', t.password);
        await userPage.click('#idSIButton9');
        await userPage.waitForSelector('#adminApprovalTitle');
        await userPage.click('#idBtn_Back');
        await userPage.waitForSelector('#app-landed');
        assert.equal(app.hits.at(-1)!.error, 'consent_required');
        assert.equal(app.hits.at(-1)!.state, 'ac');
        await userCtx.close();

        const adminCtx = await browser.newContext({ ignoreHTTPSErrors: true });
        const page = await adminCtx.newPage();
        await page.goto(url);
        await page.fill('#i0116', t.adminUpn);
        await page.fill('#i0118', t.password);
        await page.click('#idSIButton9');
        await page.click('#idBtn_Accept');
        await page.waitForSelector('#app-landed');
        const landed = app.hits.at(-1)!;
        assert.deepEqual(
          { ...landed },
          { admin_consent: 'True', tenant: t.id, scope: 'https://graph.microsoft.com/.default', state: 'ac' },
        );
        const consent = (await admin(emu, 'GET', `/tenants/${t.id}/consents/${t.appId}`)).body;
        const roles = (consent.appRoles as { permission: string }[]).map((r) => r.permission).sort();
        assert.deepEqual(roles, ['Group.ReadWrite.All', 'User.ReadWrite.All']);
        await adminCtx.close();
      });
    },
  );

  it('an unregistered redirect URI gets an error page, never a redirect (AADSTS50011)', async () => {
    const res = await fetch(
      authorizeUrl({
        client_id: t.appId,
        response_type: 'code',
        redirect_uri: 'https://evil.example/cb',
        scope: SCOPES,
      }),
      { redirect: 'manual' },
    );
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /AADSTS50011/);
    const viaCommon = await fetch(
      authorizeUrl(
        { client_id: t.appId, response_type: 'code', redirect_uri: app.uri, scope: SCOPES },
        'common',
      ),
      { redirect: 'manual' },
    );
    assert.equal(viaCommon.status, 400, 'a single-tenant app cannot use /common');
    assert.match(await viaCommon.text(), /AADSTS50194/);
  });

  it('refusals at the token endpoint: wrong PKCE verifier, reused code, expired code, redirect mismatch', async () => {
    const { verifier, challenge } = pkce();
    const code = async () =>
      (await shortcut({ code_challenge: challenge, code_challenge_method: 'S256' })).code!;
    const wrong = await redeem(await code(), pkce().verifier);
    assert.equal(wrong.body.error, 'invalid_grant');
    assert.equal(aadsts(wrong.body), 501481);

    const once = await code();
    assert.equal((await redeem(once, verifier)).status, 200);
    assert.equal(aadsts((await redeem(once, verifier)).body), 54005);

    const elsewhere = await redeem(await code(), verifier, { redirect_uri: `${app.uri}/other` });
    assert.equal(aadsts(elsewhere.body), 500112);

    const late = await code();
    await admin(emu, 'POST', '/clock/advance', { seconds: 601 });
    assert.equal(aadsts((await redeem(late, verifier)).body), 70008);
  });

  it('MSAL Node caches the account from client_info and refreshes silently with the refresh token', async () => {
    const { verifier, challenge } = pkce();
    const consent = { clientAppId: t.appId, delegated: { graph: ['User.Read'] }, principal: t.userUpn };
    assert.equal((await admin(emu, 'POST', `/tenants/${t.id}/consents`, consent)).status, 200);
    const msal = new ConfidentialClientApplication({
      auth: {
        clientId: t.appId,
        clientSecret: t.secret,
        authority: `${login}/${t.domain}`,
        knownAuthorities: [login],
      },
    });
    const url = await msal.getAuthCodeUrl({
      scopes: ['User.Read'],
      redirectUri: app.uri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      loginHint: t.userUpn,
    });
    const res = await fetch(`${url}&emulator_password=${encodeURIComponent(t.password)}`, {
      redirect: 'manual',
    });
    assert.equal(res.status, 302);
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    const first = await msal.acquireTokenByCode({
      code,
      scopes: ['User.Read'],
      redirectUri: app.uri,
      codeVerifier: verifier,
    });
    assert.equal(first.account?.homeAccountId, `${String(claimsOf(first.accessToken).oid)}.${t.id}`);
    const before = emu.context.state.log.lastSeq;
    const silent = await msal.acquireTokenSilent({
      account: first.account!,
      scopes: ['User.Read'],
      forceRefresh: true,
    });
    assert.notEqual(silent.accessToken, first.accessToken);
    const calls = emu.context.state.log.since(before).filter((e) => e.path.endsWith('/oauth2/v2.0/token'));
    assert.equal(calls.length, 1, 'one refresh_token call to the token endpoint');
  });

  it('plain PKCE is honoured when the client sends it; the automation password stays out of the request log', async () => {
    const verifier = randomBytes(40).toString('base64url');
    const params = await shortcut({ code_challenge: verifier, code_challenge_method: 'plain' });
    assert.equal((await redeem(params.code!, verifier)).status, 200);
    const logged = emu.context.state.log.since(0).filter((e) => e.path.endsWith('/authorize'));
    assert.ok(logged.length > 0);
    assert.ok(
      logged.every((e) => !e.query.includes(encodeURIComponent(t.password)) && !e.query.includes(t.password)),
    );
  });

  it("the browser session: SSO with its cookie, ended by revoking the user's sessions and by logout; a disabled user cannot sign in", async () => {
    const base = { client_id: t.appId, response_type: 'code', redirect_uri: app.uri, scope: SCOPES };
    const first = await fetch(
      authorizeUrl({ ...base, login_hint: t.userUpn, emulator_password: t.password }),
      { redirect: 'manual' },
    );
    assert.equal(first.status, 302);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const sso = () => fetch(authorizeUrl(base), { redirect: 'manual', headers: { cookie } });
    assert.equal((await sso()).status, 302, 'signed in silently');
    assert.equal(
      (await fetch(authorizeUrl({ ...base, prompt: 'login' }), { redirect: 'manual', headers: { cookie } }))
        .status,
      200,
      'prompt=login asks again',
    );

    await admin(emu, 'POST', '/clock/advance', { seconds: 1 });
    await admin(emu, 'POST', `/tenants/${t.id}/users/${t.userUpn}/revokeSignInSessions`);
    const afterRevoke = await sso();
    assert.equal(afterRevoke.status, 200);
    assert.match(await afterRevoke.text(), /id="i0116"/);

    await admin(emu, 'POST', '/clock/advance', { seconds: 1 });
    const again = await fetch(
      authorizeUrl({ ...base, login_hint: t.userUpn, emulator_password: t.password }),
      { redirect: 'manual' },
    );
    const cookie2 = again.headers.get('set-cookie')!.split(';')[0]!;
    const out = await fetch(
      `${login}/${t.id}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(app.uri)}`,
      { redirect: 'manual', headers: { cookie: cookie2 } },
    );
    assert.equal(out.status, 302);
    assert.equal(out.headers.get('location'), app.uri);
    assert.equal(
      (await fetch(authorizeUrl(base), { redirect: 'manual', headers: { cookie: cookie2 } })).status,
      200,
      'signed out',
    );
    const evil = await fetch(
      `${login}/${t.id}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
      { redirect: 'manual' },
    );
    assert.equal(evil.status, 200, 'no redirect to an unregistered URI');

    const user = [...emu.context.state.tenant(t.id)!.users.values()].find(
      (u) => u.properties.userPrincipalName === t.userUpn,
    )!;
    user.properties.accountEnabled = false;
    try {
      const disabled = await fetch(
        authorizeUrl({ ...base, login_hint: t.userUpn, emulator_password: t.password }),
        { redirect: 'manual' },
      );
      assert.equal(disabled.status, 200);
      assert.match(await disabled.text(), /AADSTS50057/);
    } finally {
      user.properties.accountEnabled = true;
    }
  });

  it('revoked sessions fail refresh with AADSTS50173; signing in again works', async () => {
    const { verifier, challenge } = pkce();
    const tokens = await redeem(
      (await shortcut({ code_challenge: challenge, code_challenge_method: 'S256' })).code!,
      verifier,
    );
    await admin(emu, 'POST', '/clock/advance', { seconds: 2 });
    const revoked = await admin(emu, 'POST', `/tenants/${t.id}/users/${t.userUpn}/revokeSignInSessions`);
    assert.equal(revoked.status, 200);
    const r = await refresh(String(tokens.body.refresh_token));
    assert.equal(r.body.error, 'invalid_grant');
    assert.equal(aadsts(r.body), 50173);
    await admin(emu, 'POST', '/clock/advance', { seconds: 2 });
    const again = await redeem(
      (await shortcut({ code_challenge: challenge, code_challenge_method: 'S256' })).code!,
      verifier,
    );
    assert.equal((await refresh(String(again.body.refresh_token))).status, 200);
  });

  it('a refresh token unused for 90 days fails with AADSTS700082; one used within 90 days keeps the chain alive', async () => {
    const { verifier, challenge } = pkce();
    const a = await redeem(
      (await shortcut({ code_challenge: challenge, code_challenge_method: 'S256' })).code!,
      verifier,
    );
    await admin(emu, 'POST', '/clock/advance', { days: 60 });
    const b = await refresh(String(a.body.refresh_token));
    assert.equal(b.status, 200);
    await admin(emu, 'POST', '/clock/advance', { days: 31 });
    assert.equal(aadsts((await refresh(String(a.body.refresh_token))).body), 700082);
    assert.equal(
      (await refresh(String(b.body.refresh_token))).status,
      200,
      'the newer token was used 31 days ago',
    );
  });

  it('withdrawn consent fails refresh with AADSTS65001 and suberror consent_required', async () => {
    const { verifier, challenge } = pkce();
    const a = await redeem(
      (await shortcut({ code_challenge: challenge, code_challenge_method: 'S256' })).code!,
      verifier,
    );
    assert.equal((await admin(emu, 'DELETE', `/tenants/${t.id}/consents/${t.appId}`)).status, 204);
    const r = await refresh(String(a.body.refresh_token));
    assert.equal(aadsts(r.body), 65001);
    assert.equal(r.body.suberror, 'consent_required');
  });
});
