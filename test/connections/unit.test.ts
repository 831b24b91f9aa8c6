// Connection building blocks that need no service: input validation, Key Vault-signed assertions, refresh-token
// rotation and its failure classification, App Service principal checks, link-check outcomes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { authorizeRole } from '../../shared/auth/appServicePrincipal';
import { cloudEndpoints } from '../../shared/clouds/endpoints';
import {
  readTokenClaims,
  signClientAssertion,
  type AssertionSigner,
} from '../../shared/connections/assertion';
import {
  entraError,
  isPermanentRefreshFailure,
  RefreshTokenCredential,
} from '../../shared/connections/credentials';
import { chooseSigningVersion } from '../../shared/connections/certificates';
import { ConnectionError } from '../../shared/connections/errors';
import type { Connection } from '../../shared/connections/model';
import { updateConnection, type ConnectionRepository } from '../../shared/connections/repository';
import {
  completeAdminConsent,
  completeLink,
  type ServiceProviderDeps,
} from '../../shared/connections/serviceProvider';
import { DIRECTORY_ROLES } from '../../shared/connections/requirements';
import { validateCreateInput } from '../../shared/connections/service';
import { checkAppOnlyLink } from '../../shared/connections/verify';

const TENANT = '7c1d5f0e-3c4b-4b8e-9a51-2f1e6d3c9b10';
const CLIENT = 'c3d4e5f6-0003-4000-8000-000000000001';

test('create input: every invalid field is reported by name', () => {
  const r = validateCreateInput(
    { kind: 'robot', cloud: 'mars', tenantId: 'x', clientId: 'nope', addOns: ['fax'], extra: 1 },
    {},
  );
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.errors.map((e) => e.field).sort(), ['addOns', 'cloud', 'extra', 'kind', 'tenantId']);
});

test('create input: a customer app needs a GUID client id; a domain works as tenant', () => {
  const bad = validateCreateInput({ kind: 'customer-app', tenantId: 'contoso.test', clientId: 'abc' }, {});
  assert.deepEqual(bad.ok ? [] : bad.errors.map((e) => e.field), ['clientId']);
  const good = validateCreateInput(
    {
      kind: 'customer-app',
      cloud: 'usgov',
      tenantId: 'Contoso.TEST',
      clientId: CLIENT.toUpperCase(),
      addOns: ['exchange', 'exchange'],
    },
    {},
  );
  assert.ok(good.ok);
  if (good.ok)
    assert.deepEqual(good.value, {
      kind: 'customer-app',
      cloud: 'usgov',
      tenantId: 'contoso.test',
      clientId: CLIENT,
      addOns: ['exchange'],
      displayName: undefined,
    });
});

test('create input: a service-provider connection uses the deployment app and fails clearly without one', () => {
  const none = validateCreateInput({ kind: 'service-provider', tenantId: TENANT }, {});
  assert.equal(none.ok, false);
  const ok = validateCreateInput(
    { kind: 'service-provider', tenantId: TENANT },
    { TENURE_SP_CLIENT_ID: CLIENT },
  );
  assert.ok(ok.ok && ok.value.clientId === CLIENT);
});

test('client assertions are PS256 with x5t#S256: the SHA-256 digest of header.payload goes to the signer', async () => {
  const digests: Uint8Array[] = [];
  const signer: AssertionSigner = {
    async sign(alg, digest) {
      assert.equal(alg, 'PS256');
      digests.push(digest);
      return { result: Buffer.from('signature-bytes') };
    },
  };
  const now = new Date('2026-11-26T10:00:00Z');
  const jwt = await signClientAssertion({
    signer,
    x5tS256: 'thumb',
    clientId: CLIENT,
    tokenEndpoint: 'https://login.test/t/oauth2/v2.0/token',
    now,
  });
  const [h, p, s] = jwt.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(h!, 'base64url').toString()), {
    alg: 'PS256',
    typ: 'JWT',
    'x5t#S256': 'thumb',
  });
  const claims = readTokenClaims(jwt);
  assert.equal(claims.aud, 'https://login.test/t/oauth2/v2.0/token');
  assert.equal(claims.iss, CLIENT);
  assert.equal(claims.sub, CLIENT);
  assert.equal(claims.nbf, now.getTime() / 1000);
  assert.equal(claims.exp, now.getTime() / 1000 + 600);
  assert.match(String(claims.jti), /^[0-9a-f-]{36}$/);
  assert.deepEqual(Buffer.from(digests[0]!), createHash('sha256').update(`${h}.${p}`).digest());
  assert.equal(Buffer.from(s!, 'base64url').toString(), 'signature-bytes');
});

function fakeTokenEndpoint(answers: { status: number; body: Record<string, unknown> }[]) {
  const calls: URLSearchParams[] = [];
  const fetchImpl = (async (_url: unknown, init?: { body?: unknown }) => {
    calls.push(new URLSearchParams(String(init?.body)));
    const a = answers.shift()!;
    return new Response(JSON.stringify(a.body), {
      status: a.status,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

test('refresh: the rotated refresh token is stored before the access token is returned, and cached', async () => {
  const stored: string[] = ['rt-1'];
  const { calls, fetchImpl } = fakeTokenEndpoint([
    { status: 200, body: { access_token: 'at-1', refresh_token: 'rt-2', expires_in: 3600 } },
  ]);
  const cred = new RefreshTokenCredential({
    endpoints: cloudEndpoints('global'),
    tenantId: TENANT,
    clientId: CLIENT,
    store: { read: async () => stored.at(-1), write: async (t) => void stored.push(t) },
    clientAssertion: async () => 'assertion',
    onPermanentFailure: async () => assert.fail('not a failure'),
    fetch: fetchImpl,
  });
  const t1 = await cred.getToken('https://graph.microsoft.com/.default');
  const t2 = await cred.getToken('https://graph.microsoft.com/.default');
  assert.equal(t1.token, 'at-1');
  assert.equal(t2, t1);
  assert.deepEqual(stored, ['rt-1', 'rt-2']);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]!.get('grant_type'), 'refresh_token');
  assert.equal(calls[0]!.get('refresh_token'), 'rt-1');
  assert.equal(calls[0]!.get('scope'), 'https://graph.microsoft.com/.default offline_access');
  assert.equal(calls[0]!.get('client_assertion'), 'assertion');
});

test('refresh: a revoked session (AADSTS50173) marks the connection for relink and says so without the token', async () => {
  const failures: number[][] = [];
  const { fetchImpl } = fakeTokenEndpoint([
    {
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description:
          'AADSTS50173: The provided grant has expired due to it being revoked.\r\nTrace ID: x',
        error_codes: [50173],
      },
    },
  ]);
  const cred = new RefreshTokenCredential({
    endpoints: cloudEndpoints('global'),
    tenantId: TENANT,
    clientId: CLIENT,
    store: { read: async () => 'rt-secret-value', write: async () => assert.fail('nothing to store') },
    clientAssertion: async () => 'assertion',
    onPermanentFailure: async (e) => void failures.push(e.codes),
    fetch: fetchImpl,
  });
  await assert.rejects(cred.getToken('scope'), (e: unknown) => {
    assert.ok(e instanceof ConnectionError);
    assert.equal(e.code, 'TENURE_CONNECTION_RELINK_REQUIRED');
    assert.ok(!e.message.includes('rt-secret-value'));
    return true;
  });
  assert.deepEqual(failures, [[50173]]);
});

test('refresh failure classification', () => {
  assert.ok(isPermanentRefreshFailure(entraError({ error: 'invalid_grant', error_codes: [700082] })));
  assert.ok(
    !isPermanentRefreshFailure(
      entraError({ error: 'temporarily_unavailable', error_description: 'AADSTS90033: busy' }),
    ),
  );
  assert.deepEqual(
    entraError({ error: 'x', error_description: 'AADSTS65001: no consent\r\nTrace ID: 1' }).codes,
    [65001],
  );
});

test('an Entra error description never carries a token onward', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  const error = entraError({
    error: 'invalid_grant',
    error_description: `AADSTS70000: bad grant ${jwt} used`,
  });
  assert.equal(error.errorDescription, 'AADSTS70000: bad grant [token] used');
  assert.deepEqual(error.codes, [70000]);
});

const principal = (roles: string[]): string =>
  Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      role_typ: 'roles',
      claims: [{ typ: 'name', val: 'Ada' }, ...roles.map((r) => ({ typ: 'roles', val: r }))],
    }),
  ).toString('base64');

test('App Service principal: the admin role is required only when authentication is on', () => {
  assert.deepEqual(authorizeRole(undefined, 'Tenure.Admin', false), { allowed: true, principal: undefined });
  assert.equal(authorizeRole(undefined, 'Tenure.Admin', true).allowed, false);
  const forbidden = authorizeRole(principal(['Reader']), 'Tenure.Admin', true);
  assert.ok(!forbidden.allowed && forbidden.status === 403);
  const ok = authorizeRole(principal(['Tenure.Admin']), 'Tenure.Admin', true);
  assert.ok(ok.allowed && ok.principal?.name === 'Ada');
  assert.equal(authorizeRole('not base64 json', 'Tenure.Admin', true).allowed, false);
});

function tokenWith(claims: Record<string, unknown>): AccessToken {
  return {
    token: `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`,
    expiresOnTimestamp: Date.now() + 3_600_000,
  };
}

test('link check: each missing permission and role is named with a fix in the cloud’s portal', async () => {
  const credential: TokenCredential = {
    getToken: async (scope) =>
      String(scope).includes('outlook')
        ? tokenWith({ roles: [] })
        : tokenWith({ roles: ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'] }),
  };
  const check = await checkAppOnlyLink({
    credential,
    endpoints: cloudEndpoints('usgov'),
    clientId: CLIENT,
    addOns: ['exchange'],
    readDirectoryRoles: async () => [DIRECTORY_ROLES['User Administrator']],
  });
  assert.equal(check.linked, false);
  assert.deepEqual(check.missing.map((m) => m.id).sort(), [
    'permission:exchange:Exchange.ManageAsApp',
    'permission:graph:MailboxSettings.ReadWrite',
    'permission:graph:User.EnableDisableAccount.All',
    'role:Exchange Administrator',
  ]);
  assert.ok(check.missing.every((m) => m.fix.includes('https://entra.microsoft.us')));
});

test('link check: everything granted is linked; a Global Administrator satisfies the role checks', async () => {
  const all = [
    'User.ReadWrite.All',
    'Group.ReadWrite.All',
    'Directory.ReadWrite.All',
    'User.EnableDisableAccount.All',
  ];
  const check = await checkAppOnlyLink({
    credential: { getToken: async () => tokenWith({ roles: all }) },
    endpoints: cloudEndpoints('global'),
    clientId: CLIENT,
    addOns: [],
    readDirectoryRoles: async () => [DIRECTORY_ROLES['Global Administrator']],
  });
  assert.deepEqual(check.missing, []);
  assert.equal(check.linked, true);
});

test('link check: a certificate Entra does not know is reported as the upload step', async () => {
  const err = Object.assign(new Error('AADSTS700027: Client assertion failed signature validation.'), {
    errorResponse: {
      error: 'invalid_client',
      errorDescription: 'AADSTS700027: Client assertion failed signature validation.\r\nTrace ID: 1',
    },
  });
  const check = await checkAppOnlyLink({
    credential: { getToken: async () => Promise.reject(err) },
    endpoints: cloudEndpoints('global'),
    clientId: CLIENT,
    addOns: [],
    readDirectoryRoles: async () => [],
  });
  assert.equal(check.linked, false);
  assert.deepEqual(
    check.missing.map((m) => m.id),
    ['certificate'],
  );
  assert.equal(check.tokenError?.code, 'AADSTS700027');
});

function memoryRepo(initial: Connection, conflicts: number) {
  let stored = { ...initial, etag: 'e1' };
  let version = 1;
  let left = conflicts;
  const repo: ConnectionRepository = {
    get: async () => ({ ...stored }),
    list: async () => [{ ...stored }],
    create: async (c) => c,
    update: async (c) => {
      if (left > 0) {
        // Another writer got there first: the stored record changes and its etag moves on.
        left--;
        stored = { ...stored, displayName: `changed by the timer ${left}`, etag: `e${++version}` };
        throw new ConnectionError('TENURE_CONNECTION_CONFLICT', 'changed meanwhile');
      }
      if (c.etag !== stored.etag) throw new ConnectionError('TENURE_CONNECTION_CONFLICT', 'stale etag');
      stored = { ...c, etag: `e${++version}` };
      return { ...stored };
    },
  };
  return { repo, current: () => stored };
}

const SP_CONNECTION: Connection = {
  id: 'abc123abc123',
  displayName: 'sp',
  kind: 'service-provider',
  cloud: 'global',
  tenantId: TENANT,
  clientId: CLIENT,
  addOns: [],
  status: 'linked',
  diagnostics: { missing: [] },
  refreshTokenSecretName: 'conn-abc123abc123-refresh-token',
  createdAt: '2026-11-26T00:00:00Z',
  updatedAt: '2026-11-26T00:00:00Z',
};

test('updateConnection re-reads and re-applies the change after an etag conflict, keeping the other write', async () => {
  const { repo, current } = memoryRepo(SP_CONNECTION, 2);
  const updated = await updateConnection(repo, SP_CONNECTION.id, (c) => ({
    ...c,
    status: 'relink-required',
  }));
  assert.equal(updated?.status, 'relink-required');
  assert.equal(current().status, 'relink-required');
  assert.equal(current().displayName, 'changed by the timer 0', 'the concurrent change is kept');
  const stubborn = memoryRepo(SP_CONNECTION, 10);
  await assert.rejects(
    updateConnection(stubborn.repo, SP_CONNECTION.id, (c) => ({ ...c, status: 'linked' }), 3),
    (e: unknown) => e instanceof ConnectionError && e.code === 'TENURE_CONNECTION_CONFLICT',
  );
  assert.equal(
    await updateConnection(repo, SP_CONNECTION.id, () => undefined).then((c) => c?.status),
    'relink-required',
  );
});

function callbackDeps(connection: Connection): ServiceProviderDeps {
  const { repo } = memoryRepo(connection, 0);
  return {
    env: { TENURE_PUBLIC_BASE_URL: 'https://tenure.example' },
    repo,
    certificates: () => assert.fail('not used'),
    signer: () => assert.fail('not used'),
    now: () => new Date(),
    states: {
      create: async () => assert.fail('not used'),
      consume: async () => ({ connectionId: connection.id, codeVerifier: 'v', purpose: 'link' }),
    },
    secrets: () => assert.fail('nothing is stored on an error'),
    fetch: (async () => assert.fail('no token request on an error')) as unknown as typeof fetch,
  };
}

test('callback errors: cancel or declined approval, admin approval required, anything else failed', async () => {
  const c = { ...SP_CONNECTION, status: 'awaiting-consent' as const };
  const outcome = (q: Record<string, string>) =>
    completeLink(callbackDeps(c), new URLSearchParams({ state: 's'.repeat(43), ...q }), 'nonce');
  const declined = await outcome({
    error: 'access_denied',
    error_subcode: 'cancel',
    error_description: 'AADSTS65004: User declined to consent to access the app.',
  });
  assert.equal(declined.kind, 'consent-declined');
  if (declined.kind === 'consent-declined')
    assert.match(
      declined.adminConsentUrl,
      /^https:\/\/login\.microsoftonline\.com\/.*\/v2\.0\/adminconsent\?/,
    );
  const approval = await outcome({
    error: 'consent_required',
    error_description: 'AADSTS65001: The user or administrator has not consented.',
  });
  assert.equal(approval.kind, 'admin-approval-required');
  const policy = await outcome({ error: 'access_denied', error_description: 'AADSTS90094: admin policy' });
  assert.equal(policy.kind, 'admin-approval-required');
  const other = await outcome({ error: 'server_error', error_description: 'AADSTS90033: busy' });
  assert.equal(other.kind, 'failed');
});

test('a state issued for admin consent is refused by the Link Account callback, and the other way round', async () => {
  const deps = callbackDeps(SP_CONNECTION);
  const adminState: ServiceProviderDeps = {
    ...deps,
    states: {
      ...deps.states,
      consume: async () => ({ connectionId: SP_CONNECTION.id, codeVerifier: 'v', purpose: 'admin-consent' }),
    },
  };
  await assert.rejects(
    completeLink(adminState, new URLSearchParams({ state: 's'.repeat(43), code: 'c' }), 'n'),
    (e: unknown) => e instanceof ConnectionError && e.code === 'TENURE_OAUTH_STATE_INVALID',
  );
  await assert.rejects(
    completeAdminConsent(deps, new URLSearchParams({ state: 's'.repeat(43), admin_consent: 'True' }), 'n'),
    (e: unknown) => e instanceof ConnectionError && e.code === 'TENURE_OAUTH_STATE_INVALID',
  );
});

test('service-provider certificate: the settled version signs until 7 days before its expiry, then the renewed one', async () => {
  const day = 86_400_000;
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const versions = [
    { version: 'old', createdOn: new Date(t0), expiresOn: new Date(t0 + 365 * day), enabled: true },
    {
      version: 'new',
      createdOn: new Date(t0 + 335 * day),
      expiresOn: new Date(t0 + 700 * day),
      enabled: true,
    },
    {
      version: 'off',
      createdOn: new Date(t0 + 340 * day),
      expiresOn: new Date(t0 + 705 * day),
      enabled: false,
    },
  ];
  const certs = {
    listPropertiesOfCertificateVersions: () =>
      (async function* () {
        yield* versions;
      })(),
  } as unknown as Parameters<typeof chooseSigningVersion>[0];
  const before = await chooseSigningVersion(certs, 'sp', new Date(t0 + 100 * day));
  assert.deepEqual([before.version, before.newer?.version], ['old', 'new']);
  const renewed = await chooseSigningVersion(certs, 'sp', new Date(t0 + 340 * day));
  assert.deepEqual([renewed.version, renewed.newer?.version], ['old', 'new'], 'the old one still signs');
  const late = await chooseSigningVersion(certs, 'sp', new Date(t0 + 359 * day));
  assert.deepEqual([late.version, late.newer], ['new', undefined], 'switched 7 days before expiry');
  const expired = await chooseSigningVersion(certs, 'sp', new Date(t0 + 400 * day));
  assert.equal(expired.version, 'new');
});

test('create input: an admin-chosen id lets a flow name the connection; bad ids are refused', () => {
  const ok = validateCreateInput(
    { id: 'contoso-hr', kind: 'customer-app', tenantId: TENANT, clientId: CLIENT },
    {},
  );
  assert.ok(ok.ok && ok.value.id === 'contoso-hr');
  for (const id of ['ab', 'Upper', '1abc', 'has space', 'x'.repeat(41), 42]) {
    const bad = validateCreateInput({ id, kind: 'customer-app', tenantId: TENANT, clientId: CLIENT }, {});
    assert.deepEqual(bad.ok ? [] : bad.errors.map((e) => e.field), ['id'], String(id));
  }
});
