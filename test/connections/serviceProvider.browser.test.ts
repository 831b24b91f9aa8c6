// A service-provider connection end to end in headless Chromium through the dev host: the admin page's Link
// Account, the emulator's sign-in and consent pages, the callback page; the refresh token in Key Vault, a Graph
// call with the delegated credential, rotation by the timer, relink-required after the admin's sessions are
// revoked; a non-admin and a cancel get clear pages. The dev host's output is scanned for secrets at the end.
import assert from 'node:assert/strict';
import { randomBytes, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cloudEndpoints, scopeOf } from '../../shared/clouds/endpoints';
import { readTokenClaims } from '../../shared/connections/assertion';
import { maintainConnections } from '../../shared/connections/maintenance';
import type { Connection } from '../../shared/connections/model';
import { serviceProviderCredential } from '../../shared/connections/serviceProvider';
import type { AzureClients } from '../../shared/azure/clients';
import { testStack } from '../support/stack';
import { adminCall, createTestTenant, type TestTenant } from '../support/tenants';
import {
  appClientsFor,
  createTenantWithPlainUser,
  inProcessDeps,
  launchChromium,
  onlyConnections,
  setUpServiceProviderApp,
  startCapturedDevhost,
  type CapturedDevhost,
  type ServiceProviderApp,
} from './support';

const stack = testStack();
const admin = stack.emulator.admin;
let clients: AzureClients;
let sp: ServiceProviderApp;
let devhost: CapturedDevhost;
let browser: Browser;
let tenant: TestTenant;
let env: Record<string, string>;
/** Everything secret the test saw: none of it may appear in the dev host's output or in a page. */
const secretsSeen = new Set<string>();

before(async () => {
  clients = appClientsFor(stack);
  tenant = await createTestTenant(admin);
  sp = await setUpServiceProviderApp(stack, clients);
  env = {
    ...stack.appSettings,
    TENURE_SP_CLIENT_ID: sp.clientId,
    TENURE_SP_CERTIFICATE_NAME: sp.certificateName,
  };
  devhost = await startCapturedDevhost(stack.appSettings, {
    TENURE_SP_CLIENT_ID: sp.clientId,
    TENURE_SP_CERTIFICATE_NAME: sp.certificateName,
  });
  secretsSeen.add(devhost.functionKey);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await devhost?.stop();
});

const api = (path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${devhost.url}/api${path}`, {
    redirect: 'manual',
    ...init,
    headers: {
      'x-functions-key': devhost.functionKey,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });

const mine = new Set<string>();
/** The timer's deps, seeing only this file's connections. */
const timerDeps = () => onlyConnections(inProcessDeps(env, clients), mine);

async function createServiceProviderConnection(tenantId: string): Promise<Connection> {
  const res = await api('/connections', {
    method: 'POST',
    body: JSON.stringify({ kind: 'service-provider', tenantId }),
  });
  assert.equal(res.status, 201);
  const c = (await res.json()) as Connection;
  assert.equal(c.status, 'awaiting-consent');
  assert.equal(c.clientId, sp.clientId);
  mine.add(c.id);
  return c;
}

async function read(id: string): Promise<Connection> {
  const res = await api(`/connections/${id}`);
  assert.equal(res.status, 200);
  return (await res.json()) as Connection;
}

async function secretVersions(name: string): Promise<number> {
  let n = 0;
  try {
    for await (const _ of clients.secrets().listPropertiesOfSecretVersions(name)) n++;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
  return n;
}

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true });
  return { context, page: await context.newPage() };
}

async function openAdminPage(page: Page): Promise<void> {
  await page.goto(`${devhost.url}/api/admin?code=${encodeURIComponent(devhost.functionKey)}`);
  assert.equal(await page.locator('h1').textContent(), 'Tenure connections');
}

async function signIn(page: Page, upn: string, password: string): Promise<void> {
  await page.waitForSelector('#i0116');
  await page.fill('#i0116', upn);
  await page.fill('#i0118', password);
  await page.click('#idSIButton9');
}

let linked: Connection;
let callbackUrl: string;

test('Link Account: sign in as the Global Administrator, consent, land on the linked page', async () => {
  const c = await createServiceProviderConnection(tenant.tenantId);
  const { context, page } = await newPage();
  await openAdminPage(page);
  const row = page.locator(`tr[data-connection="${c.id}"]`);
  assert.match((await row.textContent()) ?? '', /awaiting-consent/);
  await row.getByText('Link Account', { exact: true }).click();
  assert.ok(page.url().startsWith(stack.emulator.login), `at the sign-in page: ${page.url()}`);
  const authorize = new URL(page.url());
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(
    authorize.searchParams.get('redirect_uri'),
    `${devhost.url}/api/oauth/callback`,
    'the redirect URI comes from TENURE_PUBLIC_BASE_URL',
  );
  assert.deepEqual(authorize.searchParams.get('scope')?.split(' ').sort(), [
    'https://graph.microsoft.com/Directory.AccessAsUser.All',
    'https://graph.microsoft.com/Group.ReadWrite.All',
    'https://graph.microsoft.com/User.ReadWrite.All',
    'offline_access',
    'openid',
    'profile',
  ]);
  const cookies = await context.cookies();
  const binding = cookies.find((k) => k.name === 'tenure_oauth');
  assert.ok(binding, 'the browser-binding cookie is set');
  assert.equal(binding.httpOnly, true);
  assert.equal(binding.sameSite, 'Lax');
  assert.equal(binding.path, '/api/oauth');

  await signIn(page, tenant.adminUpn, tenant.adminPassword);
  await page.waitForSelector('#idBtn_Accept');
  const permissions = await page
    .locator('#permissions li')
    .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-permission')));
  assert.ok(permissions.includes('Directory.AccessAsUser.All'), permissions.join(','));
  await page.check('#idChkBx_PdAdminConsent');
  const callback = page.waitForURL((u) => u.pathname === '/api/oauth/callback');
  await page.click('#idBtn_Accept');
  await callback;
  callbackUrl = page.url();
  secretsSeen.add(new URL(callbackUrl).searchParams.get('code')!);
  assert.equal(await page.locator('h1').textContent(), 'Account linked');
  assert.match((await page.content()) ?? '', new RegExp(tenant.adminUpn.replace('.', '\\.')));
  assert.equal(
    (await context.cookies()).find((k) => k.name === 'tenure_oauth'),
    undefined,
    'the binding cookie is cleared once used',
  );
  await context.close();

  linked = await read(c.id);
  assert.equal(linked.status, 'linked');
  assert.equal(linked.consentedBy, tenant.adminUpn);
  assert.ok(linked.consentedAt);
  assert.deepEqual(linked.diagnostics.missing, []);
  assert.equal(linked.refreshTokenSecretName, `conn-${c.id}-refresh-token`);
  const secret = await clients.secrets().getSecret(linked.refreshTokenSecretName);
  assert.ok(secret.value && secret.value.length > 20, 'the refresh token is a Key Vault secret');
  assert.equal(secret.properties.tags?.connectionId, c.id);
  secretsSeen.add(secret.value);
  assert.ok(!JSON.stringify(linked).includes(secret.value), 'the record holds no token');
});

test('replaying the callback URL (same browser state, same code) is refused', async () => {
  const { context, page } = await newPage();
  const res = await page.goto(callbackUrl);
  assert.equal(res?.status(), 400);
  assert.equal(await page.locator('h1').textContent(), 'This sign-in link is not valid');
  await context.close();
  assert.equal((await read(linked.id)).status, 'linked');
});

test('the engine gets a delegated Graph token from the connection and Graph answers', async () => {
  const deps = inProcessDeps(env, clients);
  const credential = serviceProviderCredential(deps, linked);
  const endpoints = cloudEndpoints('global', env);
  const token = await credential.getToken(scopeOf(endpoints.graphResource));
  secretsSeen.add(token.token);
  const claims = readTokenClaims(token.token);
  assert.equal(claims.tid, tenant.tenantId);
  assert.equal(claims.upn, tenant.adminUpn);
  assert.match(String(claims.scp), /Directory\.AccessAsUser\.All/);
  secretsSeen.add((await clients.secrets().getSecret(linked.refreshTokenSecretName!)).value!);
  const me = await fetch(`${endpoints.graphUrl}/v1.0/me`, {
    headers: { authorization: `Bearer ${token.token}` },
  });
  assert.equal(me.status, 200);
  assert.equal(((await me.json()) as { userPrincipalName: string }).userPrincipalName, tenant.adminUpn);
});

test('the timer rotates the refresh token: a new secret version, a different value', async () => {
  const name = linked.refreshTokenSecretName!;
  const before = await secretVersions(name);
  const oldValue = (await clients.secrets().getSecret(name)).value!;
  const summary = await maintainConnections(timerDeps());
  assert.ok(summary.refreshed.includes(linked.id), JSON.stringify(summary));
  assert.equal(await secretVersions(name), before + 1);
  const newValue = (await clients.secrets().getSecret(name)).value!;
  secretsSeen.add(newValue);
  assert.notEqual(newValue, oldValue);
  const after = await read(linked.id);
  assert.equal(after.status, 'linked');
  assert.ok(after.diagnostics.lastRefreshedAt, 'the record says when the token was last refreshed');
});

test("revoking the admin's sessions makes the next refresh mark the connection relink-required", async () => {
  const revoked = await adminCall(
    admin,
    'POST',
    `/tenants/${tenant.tenantId}/users/${tenant.adminUpn}/revokeSignInSessions`,
  );
  assert.equal(revoked.status, 200);
  const summary = await maintainConnections(timerDeps());
  assert.ok(summary.relinkRequired.includes(linked.id), JSON.stringify(summary));
  const after = await read(linked.id);
  assert.equal(after.status, 'relink-required');
  assert.equal(after.diagnostics.lastError?.code, 'AADSTS50173');
  assert.ok(!after.diagnostics.lastError?.description.includes('Trace ID'));
  // The admin page shows it, with the Entra error.
  const { context, page } = await newPage();
  await openAdminPage(page);
  const row = page.locator(`tr[data-connection="${linked.id}"]`);
  assert.match((await row.textContent()) ?? '', /relink-required[\s\S]*AADSTS50173/);
  await context.close();
  // A second run leaves it alone (nothing to refresh until the admin links again).
  const again = await maintainConnections(timerDeps());
  assert.ok(!again.refreshed.includes(linked.id) && !again.relinkRequired.includes(linked.id));
});

let tenant2: TestTenant & { userUpn: string };

test('a non-admin gets "Need admin approval" from Entra, then Tenure\'s page with the admin-consent link', async () => {
  tenant2 = await createTenantWithPlainUser(admin);
  const c = await createServiceProviderConnection(tenant2.tenantId);
  const { context, page } = await newPage();
  await openAdminPage(page);
  await page.locator(`tr[data-connection="${c.id}"]`).getByText('Link Account', { exact: true }).click();
  await signIn(page, tenant2.userUpn, tenant2.adminPassword);
  await page.waitForSelector('#adminApprovalTitle');
  const back = page.waitForURL((u) => u.pathname === '/api/oauth/callback');
  await page.click('#idBtn_Back');
  await back;
  assert.equal(await page.locator('h1').textContent(), 'Consent not granted');
  const text = (await page.locator('body').textContent()) ?? '';
  assert.match(text, /Admin approval required/);
  const consentLink = await page.locator('a#admin-consent').getAttribute('href');
  const url = new URL(consentLink!);
  assert.equal(url.origin + url.pathname, `${stack.emulator.login}/${tenant2.tenantId}/v2.0/adminconsent`);
  assert.equal(url.searchParams.get('client_id'), sp.clientId);
  assert.equal(url.searchParams.get('redirect_uri'), `${devhost.url}/api/oauth/adminconsent`);
  await context.close();
  const after = await read(c.id);
  assert.equal(after.status, 'awaiting-consent');
  assert.equal(await secretVersions(after.refreshTokenSecretName!), 0);
});

test('cancel on the consent page: a clear page, nothing changed', async () => {
  const c = await createServiceProviderConnection(tenant2.tenantId);
  const { context, page } = await newPage();
  await openAdminPage(page);
  await page.locator(`tr[data-connection="${c.id}"]`).getByText('Link Account', { exact: true }).click();
  await signIn(page, tenant2.adminUpn, tenant2.adminPassword);
  await page.waitForSelector('#idBtn_Back');
  const back = page.waitForURL((u) => u.pathname === '/api/oauth/callback');
  await page.click('#idBtn_Back');
  await back;
  assert.equal(await page.locator('h1').textContent(), 'Consent not granted');
  assert.match((await page.locator('body').textContent()) ?? '', /Nothing was changed/);
  await context.close();
  assert.equal((await read(c.id)).status, 'awaiting-consent');
});

test('admin consent from the admin page: a Global Administrator grants it for the organisation', async () => {
  const c = await createServiceProviderConnection(tenant2.tenantId);
  const { context, page } = await newPage();
  await openAdminPage(page);
  await page.locator(`tr[data-connection="${c.id}"]`).getByText('Admin consent', { exact: true }).click();
  assert.match(page.url(), /\/v2\.0\/adminconsent\?/);
  await signIn(page, tenant2.adminUpn, tenant2.adminPassword);
  await page.waitForSelector('#idBtn_Accept');
  const back = page.waitForURL((u) => u.pathname === '/api/oauth/adminconsent');
  await page.click('#idBtn_Accept');
  await back;
  assert.equal(await page.locator('h1').textContent(), 'Admin consent granted');
  await context.close();
  // Consent alone gives no token: the connection still waits for Link Account, which now needs no consent page.
  assert.equal((await read(c.id)).status, 'awaiting-consent');
});

test('the admin page: create both kinds through the form, download the certificate, Link, with status and diagnostics', async () => {
  const { context, page } = await newPage();
  await openAdminPage(page);
  // A bad request comes back as a notice naming the field.
  await page.selectOption('select[name=kind]', 'customer-app');
  await page.fill('input[name=tenantId]', 'not a tenant');
  await page.click('fieldset button[type=submit]');
  assert.match((await page.locator('[role=status]').textContent()) ?? '', /Not created: tenantId/);

  const customer = await createTestTenant(admin);
  await page.selectOption('select[name=kind]', 'customer-app');
  await page.selectOption('select[name=cloud]', 'global');
  await page.fill('input[name=tenantId]', customer.tenantId);
  await page.fill('input[name=clientId]', customer.appId);
  await page.fill('input[name=displayName]', 'Contoso HR (customer app)');
  const chosenId = `hr-${randomBytes(4).toString('hex')}`;
  await page.fill('input[name=id]', chosenId);
  await page.check('input[name=addOns][value=exchange]');
  await page.click('fieldset button[type=submit]');
  assert.equal(await page.locator('[role=status]').textContent(), `Connection ${chosenId} created.`);
  const id = chosenId;
  mine.add(id);
  const row = page.locator(`tr[data-connection="${id}"]`);
  assert.match(
    (await row.textContent()) ?? '',
    /Contoso HR \(customer app\)[\s\S]*awaiting-certificate-upload/,
  );
  assert.match((await row.textContent()) ?? '', /add-ons: exchange/);

  const downloading = page.waitForEvent('download');
  await row.getByText('PEM', { exact: true }).click();
  const download = await downloading;
  assert.equal(download.suggestedFilename().replace(/-[0-9a-f]{8}\.pem$/, ''), `tenure-${id}`);
  const pem = await readFile((await download.path())!, 'utf8');
  const x509 = new X509Certificate(pem);
  assert.match(x509.subject, /Tenure connection/);
  assert.ok(!pem.includes('PRIVATE KEY'));
  const cerDownloading = page.waitForEvent('download');
  await row.getByText('Download certificate (.cer)').click();
  const cer = await readFile((await (await cerDownloading).path())!);
  assert.equal(new X509Certificate(cer).fingerprint256, x509.fingerprint256);

  // Link before the upload names the certificate step; after the upload it links.
  await row.getByRole('button', { name: 'Link' }).click();
  assert.match((await page.locator('[role=status]').textContent()) ?? '', /1 item\(s\) missing/);
  assert.match(
    (await page.locator(`tr[data-connection="${id}"]`).textContent()) ?? '',
    /certificate is not uploaded/,
  );
  const upload = await adminCall(
    admin,
    'POST',
    `/tenants/${customer.tenantId}/applications/${customer.appId}/certificates`,
    { pem },
  );
  assert.equal(upload.status, 201);
  await page.locator(`tr[data-connection="${id}"]`).getByRole('button', { name: 'Link' }).click();
  assert.equal(await page.locator('[role=status]').textContent(), `Connection ${id} is linked.`);
  assert.match((await page.locator(`tr[data-connection="${id}"] .status`).textContent()) ?? '', /^linked$/);

  // A service-provider connection through the form: the deployment's app, Link Account offered.
  await page.selectOption('select[name=kind]', 'service-provider');
  await page.fill('input[name=tenantId]', customer.domain);
  await page.click('fieldset button[type=submit]');
  const sp2 = /Connection ([0-9a-f]{12}) created\./.exec(
    (await page.locator('[role=status]').textContent()) ?? '',
  );
  assert.ok(sp2);
  mine.add(sp2[1]!);
  const spRow = page.locator(`tr[data-connection="${sp2[1]}"]`);
  assert.match((await spRow.textContent()) ?? '', new RegExp(`awaiting-consent[\\s\\S]*`));
  assert.match((await spRow.textContent()) ?? '', new RegExp(sp.clientId));
  assert.equal(await spRow.getByText('Link Account', { exact: true }).count(), 1);

  await page.screenshot({ path: join(tmpdir(), 'tenure-admin-page.png'), fullPage: true });
  await context.close();
});

test('no secret, token, code or key appears in the dev host output', () => {
  const output = devhost.output();
  assert.ok(output.length > 0, 'the dev host logged something');
  for (const secret of secretsSeen) assert.ok(!output.includes(secret), 'a secret value was logged');
  assert.doesNotMatch(output, /eyJ[\w-]{10,}\.[\w-]{10,}/, 'no JWT in the logs');
});
