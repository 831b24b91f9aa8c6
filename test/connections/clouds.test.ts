// Every URL and scope a connection builds, for each of the four clouds, against the documented endpoint table
// (graph-spec.md §5): Link Account's authorize URL and delegated scopes, the admin-consent URL, the token endpoint the
// refresh goes to, and the app-only scopes of a customer-owned app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CLOUDS,
  cloudEndpoints,
  oauthEndpoints,
  scopeOf,
  type CloudName,
} from '../../shared/clouds/endpoints';
import { RefreshTokenCredential } from '../../shared/connections/credentials';
import type { Connection } from '../../shared/connections/model';
import type { ConnectionRepository } from '../../shared/connections/repository';
import {
  adminConsentRequestUrl,
  beginLink,
  type ServiceProviderDeps,
} from '../../shared/connections/serviceProvider';

const TENANT = '7c1d5f0e-3c4b-4b8e-9a51-2f1e6d3c9b10';
const CLIENT = '5b8f2a4d-1c3e-4f6a-8b9d-0e1f2a3b4c5d';

const EXPECTED: Record<CloudName, { login: string; graph: string; exchange: string }> = {
  global: {
    login: 'https://login.microsoftonline.com',
    graph: 'https://graph.microsoft.com',
    exchange: 'https://outlook.office365.com',
  },
  usgov: {
    login: 'https://login.microsoftonline.us',
    graph: 'https://graph.microsoft.us',
    exchange: 'https://outlook.office365.us',
  },
  usgovdod: {
    login: 'https://login.microsoftonline.us',
    graph: 'https://dod-graph.microsoft.us',
    exchange: 'https://outlook-dod.office365.us',
  },
  china: {
    login: 'https://login.chinacloudapi.cn',
    graph: 'https://microsoftgraph.chinacloudapi.cn',
    exchange: 'https://partner.outlook.cn',
  },
};

function connection(cloud: CloudName): Connection {
  return {
    id: `c-${cloud}`,
    displayName: cloud,
    kind: 'service-provider',
    cloud,
    tenantId: TENANT,
    clientId: CLIENT,
    addOns: [],
    status: 'awaiting-consent',
    diagnostics: { missing: [] },
    refreshTokenSecretName: `conn-c-${cloud}-refresh-token`,
    createdAt: '2026-11-26T00:00:00Z',
    updatedAt: '2026-11-26T00:00:00Z',
  };
}

function fakeDeps(c: Connection): ServiceProviderDeps {
  const repo: ConnectionRepository = {
    get: async (id) => (id === c.id ? c : undefined),
    list: async () => [c],
    create: async (x) => x,
    update: async (x) => x,
  };
  return {
    env: { TENURE_PUBLIC_BASE_URL: 'https://tenure.contoso.example/', TENURE_SP_CLIENT_ID: CLIENT },
    repo,
    certificates: () => assert.fail('no vault in this test'),
    signer: () => assert.fail('no vault in this test'),
    now: () => new Date('2026-11-26T10:00:00Z'),
    states: {
      create: async () => ({
        state: 's'.repeat(43),
        browserNonce: 'n',
        codeVerifier: 'v',
        codeChallenge: 'chal',
      }),
      consume: async () => assert.fail('not used'),
    },
    secrets: () => assert.fail('no vault in this test'),
  };
}

for (const cloud of CLOUDS) {
  const e = EXPECTED[cloud];

  test(`${cloud}: authorize, token and admin-consent endpoints of the tenant`, () => {
    const urls = oauthEndpoints(cloudEndpoints(cloud), TENANT);
    assert.equal(urls.authorize, `${e.login}/${TENANT}/oauth2/v2.0/authorize`);
    assert.equal(urls.token, `${e.login}/${TENANT}/oauth2/v2.0/token`);
    assert.equal(urls.adminConsent, `${e.login}/${TENANT}/v2.0/adminconsent`);
  });

  test(`${cloud}: Link Account asks the cloud's login for the cloud's Graph delegated scopes with PKCE`, async () => {
    const c = connection(cloud);
    const { location } = await beginLink(fakeDeps(c), c.id);
    const url = new URL(location);
    assert.equal(url.origin + url.pathname, `${e.login}/${TENANT}/oauth2/v2.0/authorize`);
    assert.deepEqual(url.searchParams.get('scope')!.split(' '), [
      `${e.graph}/User.ReadWrite.All`,
      `${e.graph}/Group.ReadWrite.All`,
      `${e.graph}/Directory.AccessAsUser.All`,
      'offline_access',
      'openid',
      'profile',
    ]);
    assert.equal(url.searchParams.get('redirect_uri'), 'https://tenure.contoso.example/api/oauth/callback');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('client_id'), CLIENT);
  });

  test(`${cloud}: admin consent goes to the cloud's admin-consent endpoint for the cloud's Graph`, async () => {
    const c = connection(cloud);
    for (const location of [
      (await beginLink(fakeDeps(c), c.id, 'admin-consent')).location,
      adminConsentRequestUrl(fakeDeps(c), c),
    ]) {
      const url = new URL(location);
      assert.equal(url.origin + url.pathname, `${e.login}/${TENANT}/v2.0/adminconsent`);
      assert.equal(url.searchParams.get('scope'), `${e.graph}/.default`);
      assert.equal(
        url.searchParams.get('redirect_uri'),
        'https://tenure.contoso.example/api/oauth/adminconsent',
      );
    }
  });

  test(`${cloud}: the delegated refresh goes to the cloud's token endpoint; app-only scopes are the cloud's`, async () => {
    const calls: string[] = [];
    const credential = new RefreshTokenCredential({
      endpoints: cloudEndpoints(cloud),
      tenantId: TENANT,
      clientId: CLIENT,
      store: { read: async () => 'rt', write: async () => undefined },
      clientAssertion: async () => 'assertion',
      onPermanentFailure: async () => undefined,
      fetch: (async (url: string, init: { body: URLSearchParams }) => {
        calls.push(String(url), init.body.get('scope')!);
        return new Response(JSON.stringify({ access_token: 'at', refresh_token: 'rt2', expires_in: 3600 }));
      }) as unknown as typeof fetch,
    });
    await credential.getToken(scopeOf(cloudEndpoints(cloud).graphResource));
    assert.deepEqual(calls, [`${e.login}/${TENANT}/oauth2/v2.0/token`, `${e.graph}/.default offline_access`]);
    assert.equal(scopeOf(cloudEndpoints(cloud).graphResource), `${e.graph}/.default`);
    assert.equal(scopeOf(cloudEndpoints(cloud).exchangeResource), `${e.exchange}/.default`);
  });
}

test('usgov delegated Graph scope is https://graph.microsoft.us/User.ReadWrite.All', async () => {
  const c = connection('usgov');
  const scopes = new URL((await beginLink(fakeDeps(c), c.id)).location).searchParams.get('scope')!;
  assert.ok(scopes.split(' ').includes('https://graph.microsoft.us/User.ReadWrite.All'));
});

test('the local endpoint override moves hosts but never the token resources', () => {
  const e = cloudEndpoints('usgov', {
    TENURE_CLOUD_ENDPOINTS: JSON.stringify({
      login: 'https://127.0.0.1:9000/',
      graph: 'https://127.0.0.1:9001',
    }),
  });
  assert.equal(oauthEndpoints(e, TENANT).token, `https://127.0.0.1:9000/${TENANT}/oauth2/v2.0/token`);
  assert.equal(e.graphResource, 'https://graph.microsoft.us');
  assert.equal(e.graphCustomHost, '127.0.0.1');
});

test('Link Account on a deployment without a service-provider app is a clear TENURE_SERVICE_PROVIDER_NOT_CONFIGURED', async () => {
  const c = connection('global');
  const deps = { ...fakeDeps(c), env: { TENURE_PUBLIC_BASE_URL: 'https://tenure.contoso.example' } };
  await assert.rejects(beginLink(deps, c.id), (e: unknown) => {
    assert.equal((e as { code?: string }).code, 'TENURE_SERVICE_PROVIDER_NOT_CONFIGURED');
    return true;
  });
});
