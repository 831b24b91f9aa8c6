// Attacks on Link Account and the admin endpoints, through the dev host against the emulator, each refused:
// forged state, state replay, state from another browser, PKCE verifier tampering, code replay, open redirects
// through any parameter, HTML injection into the admin page, missing function key, missing app role, exporting the
// certificate's private key. No secret, token, code or key may appear in an answer or in the dev host's output.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { AzureClients } from '../../shared/azure/clients';
import type { Connection } from '../../shared/connections/model';
import { ConnectionError } from '../../shared/connections/errors';
import { pkcePair, tableOAuthStateStore } from '../../shared/connections/oauthState';
import { testStack } from '../support/stack';
import { adminCall, createTestTenant, type TestTenant } from '../support/tenants';
import {
  appClientsFor,
  setUpServiceProviderApp,
  startCapturedDevhost,
  type CapturedDevhost,
  type ServiceProviderApp,
} from './support';

const stack = testStack();
const admin = stack.emulator.admin;
const EVIL = 'evil.example';
let clients: AzureClients;
let sp: ServiceProviderApp;
let devhost: CapturedDevhost;
let tenant: TestTenant;
const secretsSeen = new Set<string>();
const bodiesSeen: string[] = [];

before(async () => {
  clients = appClientsFor(stack);
  tenant = await createTestTenant(admin);
  sp = await setUpServiceProviderApp(stack, clients);
  // Consent granted beforehand, so the sign-in needs no consent page and runs without a browser.
  const consent = await adminCall(admin, 'POST', `/tenants/${tenant.tenantId}/consents`, {
    clientAppId: sp.clientId,
    delegated: {
      graph: ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.AccessAsUser.All', 'offline_access'],
    },
  });
  assert.equal(consent.status, 200, JSON.stringify(consent.json));
  devhost = await startCapturedDevhost(stack.appSettings, {
    TENURE_SP_CLIENT_ID: sp.clientId,
    TENURE_SP_CERTIFICATE_NAME: sp.certificateName,
  });
  secretsSeen.add(devhost.functionKey);
});
after(() => devhost?.stop());

async function call(url: string, init: RequestInit = {}): Promise<{ res: Response; body: string }> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const body = await res.text();
  bodiesSeen.push(body, res.headers.get('location') ?? '');
  return { res, body };
}

const api = (path: string, init: RequestInit = {}) =>
  call(`${devhost.url}/api${path}`, {
    ...init,
    headers: {
      'x-functions-key': devhost.functionKey,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });

const title = (body: string): string => /<h1>(.*?)<\/h1>/.exec(body)?.[1] ?? '';

async function newConnection(): Promise<Connection> {
  const { res, body } = await api('/connections', {
    method: 'POST',
    body: JSON.stringify({ kind: 'service-provider', tenantId: tenant.tenantId }),
  });
  assert.equal(res.status, 201);
  return JSON.parse(body) as Connection;
}

async function read(id: string): Promise<Connection> {
  return JSON.parse((await api(`/connections/${id}`)).body) as Connection;
}

/** GET …/link as the admin's browser would: the authorize URL and the binding cookie. */
async function begin(id: string, query = ''): Promise<{ authorize: URL; cookie: string }> {
  const { res } = await api(`/connections/${id}/link${query}`);
  assert.equal(res.status, 302);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('tenure_oauth='));
  assert.ok(setCookie, 'binding cookie');
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Lax/);
  assert.match(setCookie, /Secure/);
  return { authorize: new URL(res.headers.get('location')!), cookie: setCookie.split(';')[0]! };
}

/** Signs in at the emulator (its automation shortcut) and returns the callback URL Entra redirects to. */
async function signIn(authorize: URL): Promise<URL> {
  const url = new URL(authorize);
  url.searchParams.set('login_hint', tenant.adminUpn);
  url.searchParams.set('emulator_password', tenant.adminPassword);
  const res = await fetch(url, { redirect: 'manual' });
  assert.equal(res.status, 302, await res.text());
  const callback = new URL(res.headers.get('location')!);
  assert.equal(callback.origin, devhost.url);
  if (callback.searchParams.get('code')) secretsSeen.add(callback.searchParams.get('code')!);
  return callback;
}

const callback = (url: URL | string, cookie?: string) =>
  call(String(url), { headers: cookie ? { cookie } : {} });

async function secretVersions(name: string): Promise<number> {
  let n = 0;
  try {
    for await (const _ of clients.secrets().listPropertiesOfSecretVersions(name)) n++;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
  return n;
}

test('a forged state is refused, whatever it looks like, and nothing redirects', async () => {
  const c = await newConnection();
  const { cookie } = await begin(c.id);
  for (const state of [
    randomBytes(32).toString('base64url'),
    `https://${EVIL}/steal`,
    '',
    'x'.repeat(5000),
  ]) {
    const { res, body } = await callback(
      `${devhost.url}/api/oauth/callback?code=forged&state=${encodeURIComponent(state)}`,
      cookie,
    );
    assert.equal(res.status, 400);
    assert.equal(title(body), 'This sign-in link is not valid');
    assert.equal(res.headers.get('location'), null);
    assert.ok(!body.includes(EVIL));
  }
  assert.equal((await read(c.id)).status, 'awaiting-consent');
});

test('state replay: the second use of the same callback URL is refused; extra redirect parameters are ignored', async () => {
  const c = await newConnection();
  const { authorize, cookie } = await begin(c.id);
  const url = await signIn(authorize);
  for (const [k, v] of [
    ['redirect_uri', `https://${EVIL}/`],
    ['next', `https://${EVIL}/`],
    ['returnUrl', `//${EVIL}`],
  ])
    url.searchParams.set(k!, v!);
  const first = await callback(url, cookie);
  assert.equal(first.res.status, 200, first.body);
  assert.equal(title(first.body), 'Account linked');
  assert.equal(first.res.headers.get('location'), null);
  assert.ok(!first.body.includes(EVIL));
  assert.match(first.res.headers.getSetCookie().join(), /tenure_oauth=;.*Max-Age=0/);
  const versions = await secretVersions(`conn-${c.id}-refresh-token`);
  assert.equal(versions, 1);
  secretsSeen.add((await clients.secrets().getSecret(`conn-${c.id}-refresh-token`)).value!);

  const replay = await callback(url, cookie);
  assert.equal(replay.res.status, 400);
  assert.equal(title(replay.body), 'This sign-in link is not valid');
  assert.equal(await secretVersions(`conn-${c.id}-refresh-token`), 1, 'nothing redeemed again');
});

test('a state from another browser (no cookie, another cookie) is refused, and burnt', async () => {
  const c = await newConnection();
  const flow = await begin(c.id);
  const other = await begin(c.id);
  const url = await signIn(flow.authorize);
  const none = await callback(url);
  assert.equal(none.res.status, 400);
  const url2 = await signIn((await begin(c.id)).authorize);
  const wrong = await callback(url2, other.cookie);
  assert.equal(wrong.res.status, 400);
  assert.equal(title(wrong.body), 'This sign-in link is not valid');
  // A guessed cookie does no better.
  const url3 = await signIn(other.authorize);
  const guessed = await callback(url3, `tenure_oauth=${randomBytes(32).toString('base64url')}`);
  assert.equal(guessed.res.status, 400);
  // The refused attempt used the state up: the rightful browser cannot finish it either (it starts again).
  const late = await callback(url, flow.cookie);
  assert.equal(late.res.status, 400);
  assert.equal((await read(c.id)).status, 'awaiting-consent');
  assert.equal(await secretVersions(`conn-${c.id}-refresh-token`), 0);
});

test('PKCE: the stored verifier is the one the challenge was made from; a tampered verifier is refused by Entra', async () => {
  const c = await newConnection();
  const { authorize, cookie } = await begin(c.id);
  const state = authorize.searchParams.get('state')!;
  const table = await clients.table('OAuthStates');
  const rowKey = createHash('sha256').update(state).digest('base64url');
  const row = await table.getEntity<{ codeVerifier: string }>('state', rowKey);
  assert.equal(
    createHash('sha256').update(row.codeVerifier).digest('base64url'),
    authorize.searchParams.get('code_challenge'),
  );
  assert.ok(!JSON.stringify(row).includes(state), 'the table keeps only a hash of the state');
  await table.updateEntity({ partitionKey: 'state', rowKey, codeVerifier: pkcePair().verifier }, 'Merge');
  const url = await signIn(authorize);
  const { res, body } = await callback(url, cookie);
  assert.equal(res.status, 502);
  assert.equal(title(body), 'Link Account failed');
  assert.match(body, /AADSTS501481/);
  assert.equal((await read(c.id)).status, 'awaiting-consent');
  assert.equal(await secretVersions(`conn-${c.id}-refresh-token`), 0);
});

test('code replay: a used code presented with a fresh, valid state is refused by Entra', async () => {
  const c = await newConnection();
  const first = await begin(c.id);
  const url = await signIn(first.authorize);
  assert.equal((await callback(url, first.cookie)).res.status, 200);
  const second = await begin(c.id);
  const replay = new URL(`${devhost.url}/api/oauth/callback`);
  replay.searchParams.set('code', url.searchParams.get('code')!);
  replay.searchParams.set('state', second.authorize.searchParams.get('state')!);
  const { res, body } = await callback(replay, second.cookie);
  assert.equal(res.status, 502);
  assert.equal(title(body), 'Link Account failed');
  assert.match(body, /AADSTS(54005|501481|70000)/);
  assert.equal(await secretVersions(`conn-${c.id}-refresh-token`), 1, 'the replay stored nothing');
  assert.equal((await read(c.id)).status, 'linked');
});

test('open redirect: no parameter of the start, the callbacks or the admin page changes where the browser goes', async () => {
  const c = await newConnection();
  const evilQuery =
    `?redirect_uri=${encodeURIComponent(`https://${EVIL}/cb`)}&next=${encodeURIComponent(`https://${EVIL}`)}` +
    `&returnUrl=${encodeURIComponent(`//${EVIL}`)}&state=${encodeURIComponent(`https://${EVIL}`)}`;
  const { authorize } = await begin(c.id, evilQuery);
  assert.ok(authorize.href.startsWith(`${stack.emulator.login}/${tenant.tenantId}/oauth2/v2.0/authorize?`));
  assert.ok(!authorize.href.includes(EVIL));
  assert.equal(authorize.searchParams.get('redirect_uri'), `${devhost.url}/api/oauth/callback`);

  for (const path of ['/api/oauth/callback', '/api/oauth/adminconsent']) {
    const { res, body } = await call(`${devhost.url}${path}${evilQuery}&admin_consent=True`);
    assert.ok(res.status >= 200 && res.status < 300 ? true : res.status === 400, `${path} ${res.status}`);
    assert.equal(res.headers.get('location'), null, path);
    assert.ok(!body.includes(EVIL), path);
  }
  // A stateless admin-consent answer (a forwarded request) shows a neutral page and records nothing.
  const unsolicited = await call(`${devhost.url}/api/oauth/adminconsent?admin_consent=True&tenant=${EVIL}`);
  assert.equal(unsolicited.res.status, 200);
  assert.equal(unsolicited.res.headers.get('location'), null);
  assert.ok(!unsolicited.body.includes(EVIL));

  const form = await api('/admin/connections', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ kind: 'customer-app', tenantId: 'x', next: `https://${EVIL}` }).toString(),
  });
  assert.equal(form.res.status, 303);
  assert.ok(form.res.headers.get('location')!.startsWith('/api/admin?'), form.res.headers.get('location')!);
  assert.ok(!form.res.headers.get('location')!.includes(EVIL));
});

test('the admin page escapes the notice (no HTML or script gets through) and forbids scripts', async () => {
  const payload = `<script>alert(1)</script><a href="https://${EVIL}">x</a>" onmouseover="alert(2)`;
  const { res, body } = await api(`/admin?notice=${encodeURIComponent(payload)}`);
  assert.equal(res.status, 200);
  assert.ok(!body.includes('<script>alert'), 'script escaped');
  assert.ok(!body.includes(`<a href="https://${EVIL}`), 'link escaped');
  assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
});

test('admin endpoints refuse callers without the function key; the OAuth redirects alone are anonymous', async () => {
  const c = await newConnection();
  for (const [method, path] of [
    ['GET', '/connections'],
    ['POST', '/connections'],
    ['GET', `/connections/${c.id}`],
    ['GET', `/connections/${c.id}/certificate`],
    ['POST', `/connections/${c.id}/link`],
    ['GET', `/connections/${c.id}/link`],
    ['GET', '/admin'],
    ['POST', '/admin/connections'],
    ['POST', `/admin/connections/${c.id}/link`],
  ] as const) {
    const noKey = await call(`${devhost.url}/api${path}`, { method });
    assert.equal(noKey.res.status, 401, `${method} ${path}`);
    const badKey = await call(`${devhost.url}/api${path}?code=${randomBytes(18).toString('base64url')}`, {
      method,
    });
    assert.equal(badKey.res.status, 401, `${method} ${path} with a wrong key`);
  }
  assert.equal((await call(`${devhost.url}/api/oauth/callback?state=x`)).res.status, 400);
});

test('with TENURE_REQUIRE_ADMIN_ROLE=true the key is not enough: the Tenure.Admin app role is required', async () => {
  const guarded = await startCapturedDevhost(stack.appSettings, {
    TENURE_SP_CLIENT_ID: sp.clientId,
    TENURE_SP_CERTIFICATE_NAME: sp.certificateName,
    TENURE_REQUIRE_ADMIN_ROLE: 'true',
  });
  try {
    const principal = (roles: string[]) =>
      Buffer.from(
        JSON.stringify({
          auth_typ: 'aad',
          role_typ: 'roles',
          claims: [{ typ: 'name', val: 'Ada' }, ...roles.map((val) => ({ typ: 'roles', val }))],
        }),
      ).toString('base64');
    const c = await newConnection();
    for (const [method, path] of [
      ['GET', '/connections'],
      ['GET', `/connections/${c.id}`],
      ['GET', `/connections/${c.id}/link`],
      ['GET', '/admin'],
      ['POST', `/admin/connections/${c.id}/link`],
    ] as const) {
      const url = `${guarded.url}/api${path}`;
      const key = { 'x-functions-key': guarded.functionKey };
      const none = await call(url, { method, headers: key });
      assert.equal(none.res.status, 401, `${method} ${path} without a principal`);
      const reader = await call(url, {
        method,
        headers: { ...key, 'x-ms-client-principal': principal(['Reader']) },
      });
      assert.equal(reader.res.status, 403, `${method} ${path} without the role`);
      assert.match(reader.body, /TENURE_FORBIDDEN/);
      const adminCaller = await call(url, {
        method,
        headers: { ...key, 'x-ms-client-principal': principal(['Tenure.Admin']) },
      });
      assert.ok(
        [200, 302, 303].includes(adminCaller.res.status),
        `${method} ${path}: ${adminCaller.res.status}`,
      );
    }
    const forged = await call(`${guarded.url}/api/oauth/callback?state=x`);
    assert.equal(forged.res.status, 400, 'the OAuth redirect stays anonymous');
  } finally {
    await guarded.stop();
  }
});

test("the service-provider certificate's private key cannot be exported from Key Vault", async () => {
  const secret = await clients.secrets().getSecret(sp.certificateName);
  assert.ok(!String(secret.value).includes('PRIVATE KEY'));
  const key = await clients.keys().getKey(sp.certificateName);
  assert.equal(key.key?.d, undefined);
  const token = (await clients.credential.getToken('https://vault.azure.net/.default'))!.token;
  for (const op of ['release', 'export']) {
    const res = await fetch(
      `${stack.appSettings.TENURE_KEY_VAULT_URL}/keys/${sp.certificateName}/${key.properties.version}/${op}?api-version=7.5`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ target: 'attestation-token' }),
      },
    );
    assert.equal(res.status, 403, op);
  }
});

test('Link Account for an unknown connection answers with a page naming the problem', async () => {
  const { res, body } = await api('/connections/no-such-connection/link');
  assert.equal(res.status, 404);
  assert.equal(title(body), 'Link Account could not start');
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  assert.equal(res.headers.get('location'), null);
});

test('sign-ins never finished: their states expire (refused) and the timer purges them', async () => {
  const store = tableOAuthStateStore(() => clients.table('OAuthStates'));
  const stale = await store.create('some-connection', 'link', new Date(Date.now() - 11 * 60_000));
  const fresh = await store.create('some-connection', 'link', new Date());
  const table = await clients.table('OAuthStates');
  const key = (state: string) => createHash('sha256').update(state).digest('base64url');
  assert.ok((await store.purgeExpired!(new Date())) >= 1);
  await assert.rejects(
    table.getEntity('state', key(stale.state)),
    (e: { statusCode?: number }) => e.statusCode === 404,
  );
  assert.ok(await table.getEntity('state', key(fresh.state)), 'a live state stays');
  await assert.rejects(
    store.consume(stale.state, stale.browserNonce, new Date()),
    (e: unknown) => e instanceof ConnectionError && e.code === 'TENURE_OAUTH_STATE_INVALID',
  );
  // An expired state that was not purged yet is refused too.
  const expired = await store.create('some-connection', 'link', new Date(Date.now() - 11 * 60_000));
  await assert.rejects(
    store.consume(expired.state, expired.browserNonce, new Date()),
    (e: unknown) => e instanceof ConnectionError && e.code === 'TENURE_OAUTH_STATE_INVALID',
  );
  assert.ok(await store.consume(fresh.state, fresh.browserNonce, new Date()));
});

test('no secret, token, code or key appears in an answer or in the dev host output', () => {
  const output = devhost.output();
  assert.ok(output.includes('oauth redirect'), 'the dev host logged the redirects');
  for (const secret of secretsSeen) {
    assert.ok(!output.includes(secret), 'a secret was logged');
    // The admin page carries the function key it was opened with in its own links; nothing else may appear.
    if (secret === devhost.functionKey) continue;
    for (const body of bodiesSeen) assert.ok(!body.includes(secret), 'a secret was in an answer');
  }
  assert.doesNotMatch(output, /eyJ[\w-]{10,}\.[\w-]{10,}/);
  for (const body of bodiesSeen) assert.doesNotMatch(body, /eyJ[\w-]{10,}\.[\w-]{10,}/);
});
