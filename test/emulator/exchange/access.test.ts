// Who may call the Exchange admin API (token audience, Exchange.ManageAsApp, a directory role Exchange maps to RBAC,
// read-only roles limited to Get-*), the per-tenant throttling answer, and the request log's cmdlet trail.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import { issueAccessToken } from '../../../emulator/src/tokens/accessToken';
import { appToken, httpsRequest, invoke, startTestCloud, type Loose, type TestCloud } from './helpers';

let cloud: TestCloud;
const upn = (name: string): string => `${name}@${cloud.domain}`;
const list = (x: Loose | undefined): Loose[] => (x ?? []) as unknown as Loose[];

before(async () => {
  cloud = await startTestCloud();
});
after(() => cloud.close());

describe('authorization', () => {
  it('answers 401 with WWW-Authenticate to a missing token and to a Graph token', async () => {
    const none = await invoke(cloud, '', 'Get-Mailbox', {}, { headers: { Authorization: '' } });
    assert.equal(none.status, 401);
    assert.match(
      String(none.headers['www-authenticate']),
      /^Bearer client_id="00000002-0000-0ff1-ce00-000000000000"/,
    );
    const graph = await invoke(cloud, appToken(cloud, 'admin', 'graph'), 'Get-Mailbox', {});
    assert.equal(graph.status, 401);
    assert.match(String(graph.headers['x-ms-diagnostics']), /audience/);
  });

  it('refuses an app without Exchange.ManageAsApp', async () => {
    const answer = await invoke(cloud, appToken(cloud, 'noManageAsApp', 'exchange'), 'Get-Mailbox', {});
    assert.equal(answer.status, 401);
    assert.equal(answer.json.error?.code, 'Unauthorized');
    assert.match(String(answer.json.error?.message), /Exchange\.ManageAsApp/);
  });

  it('refuses an app whose service principal holds no Exchange-mapped directory role', async () => {
    const answer = await invoke(cloud, appToken(cloud, 'noRole', 'exchange'), 'Get-Mailbox', {});
    assert.equal(answer.status, 401);
    assert.match(String(answer.json.error?.message), /isn't supported in this scenario/);
  });

  it('lets a read-only role run Get-* but not Set-*', async () => {
    const token = appToken(cloud, 'reader', 'exchange');
    const get = await invoke(cloud, token, 'Get-Mailbox', { Identity: upn('alice') });
    assert.equal(get.status, 200);
    const set = await invoke(cloud, token, 'Set-Mailbox', {
      Identity: upn('alice'),
      HiddenFromAddressListsEnabled: true,
    });
    assert.equal(set.status, 401);
    assert.equal(set.json.error?.message, 'User is not allowed to call Set-Mailbox');
  });

  it('accepts the tenant as a domain name in the path and refuses another tenant', async () => {
    const token = appToken(cloud, 'admin', 'exchange');
    const byDomain = await invoke(
      cloud,
      token,
      'Get-Mailbox',
      { Identity: 'alice' },
      { tenant: cloud.domain },
    );
    assert.equal(byDomain.status, 200);
    const other = await invoke(
      cloud,
      token,
      'Get-Mailbox',
      {},
      { tenant: '7c1d5f0e-3c4b-4b8e-9a51-2f1e6d3c9b10' },
    );
    assert.equal(other.status, 401);
  });

  it("serves the demo tenant's app (Exchange.ManageAsApp + Exchange Administrator)", async () => {
    const ctx = cloud.emulator.context;
    const demo = ctx.state.tenant('contoso.test')!;
    const sp = ctx.state.servicePrincipalByAppId(demo, 'c3d4e5f6-0003-4000-8000-000000000001')!;
    const token = issueAccessToken(ctx, {
      tenant: demo,
      resource: 'exchange',
      clientAppId: sp.appId,
      subject: { kind: 'app', servicePrincipal: sp },
      clientAuth: '1',
    }).accessToken;
    const answer = await invoke(
      cloud,
      token,
      'Get-Mailbox',
      { Identity: 'admin@contoso.test' },
      { tenant: demo.id },
    );
    assert.equal(answer.status, 200);
    assert.equal(list(answer.json.value)[0]!.UserPrincipalName, 'admin@contoso.test');
  });
});

describe('delegated callers', () => {
  const delegated = (upnOf: string, tenantId: string): string => {
    const ctx = cloud.emulator.context;
    const tenant = ctx.state.tenant(tenantId)!;
    const user = [...tenant.users.values()].find((u) => u.properties.userPrincipalName === upnOf)!;
    return issueAccessToken(ctx, {
      tenant,
      resource: 'exchange',
      clientAppId: 'fb78d390-0c51-40cd-8e17-fdbfab77341b',
      subject: { kind: 'user', user, scopes: ['Exchange.Manage'] },
      clientAuth: '0',
    }).accessToken;
  };

  it('serves a user holding Exchange Administrator and refuses one holding no Exchange role', async () => {
    const demo = '7c1d5f0e-3c4b-4b8e-9a51-2f1e6d3c9b10';
    const admin = await invoke(
      cloud,
      delegated('admin@contoso.test', demo),
      'Get-Mailbox',
      {},
      { tenant: demo },
    );
    assert.equal(admin.status, 200);
    const plain = await invoke(cloud, delegated(upn('alice'), cloud.tenant.id), 'Get-Mailbox', {});
    assert.equal(plain.status, 401);
    assert.match(String(plain.json.error?.message), /isn't assigned to any management roles/);
  });
});

describe('throttling', () => {
  const settings = (body: unknown) =>
    httpsRequest(
      `${cloud.emulator.context.endpoints.admin}/exchange/${cloud.tenant.id}/throttling`,
      cloud.ca,
      {
        method: 'PUT',
        body,
      },
    );

  it('answers 429 with the plain-text message and Rate-Limit headers, then serves the retry', async () => {
    const token = appToken(cloud, 'admin', 'exchange');
    assert.equal((await settings({ rejectNext: 1, retryAfterSeconds: 3 })).status, 200);
    const since = cloud.emulator.context.state.log.lastSeq;
    const refused = await invoke(cloud, token, 'Get-Mailbox', { Identity: 'alice' });
    assert.equal(refused.status, 429);
    assert.match(String(refused.headers['content-type']), /^text\/plain/);
    assert.equal(
      refused.text,
      'You have reached the maximum number of concurrent requests per tenant. Please wait and try again',
    );
    assert.equal(refused.headers['retry-after'], '3');
    assert.equal(refused.headers['rate-limit-remaining'], '0');
    const retried = await invoke(cloud, token, 'Get-Mailbox', { Identity: 'alice' });
    assert.equal(retried.status, 200);
    // The request log keeps the Retry-After sent (the cmdlet entry and the listener's entry), none on success.
    const log = cloud.emulator.context.state.log.since(since).filter((e) => e.service === 'exchange');
    assert.deepEqual(
      log.map((e) => [e.detail, e.status, e.retryAfter]),
      [
        ['Get-Mailbox', 429, '3'],
        [undefined, 429, '3'],
        ['Get-Mailbox', 200, undefined],
        [undefined, 200, undefined],
      ],
    );
  });

  it('caps calls per window and opens again when the window passes (emulator clock)', async () => {
    const token = appToken(cloud, 'admin', 'exchange');
    await settings({ requestsPerWindow: 2, windowSeconds: 60 });
    const first = await invoke(cloud, token, 'Get-Mailbox', { Identity: 'alice' });
    assert.equal(first.headers['rate-limit-remaining'], '1');
    assert.equal((await invoke(cloud, token, 'Get-Mailbox', { Identity: 'alice' })).status, 200);
    const third = await invoke(cloud, token, 'Get-Mailbox', { Identity: 'alice' });
    assert.equal(third.status, 429);
    assert.ok(Number(third.headers['retry-after']) > 0 && Number(third.headers['retry-after']) <= 60);
    cloud.emulator.context.state.clock.advance(61_000);
    assert.equal((await invoke(cloud, token, 'Get-Mailbox', { Identity: 'alice' })).status, 200);
    await httpsRequest(
      `${cloud.emulator.context.endpoints.admin}/exchange/${cloud.tenant.id}/throttling`,
      cloud.ca,
      {
        method: 'DELETE',
      },
    );
  });

  it('refuses a bad setting', async () => {
    assert.equal((await settings({ rejectNext: -1 })).status, 400);
  });
});

describe('request log', () => {
  it('records each cmdlet with its tenant, app and status, in order', async () => {
    const token = appToken(cloud, 'admin', 'exchange');
    const since = cloud.emulator.context.state.log.lastSeq;
    await invoke(cloud, token, 'Set-Mailbox', { Identity: upn('bob'), Type: 'Shared' });
    await invoke(cloud, token, 'Add-MailboxPermission', {
      Identity: upn('bob'),
      User: upn('alice'),
      AccessRights: 'FullAccess',
    });
    await invoke(cloud, token, 'Set-Mailbox', { Identity: upn('bob'), HiddenFromAddressListsEnabled: true });
    await invoke(cloud, token, 'Get-Mailbox', { Identity: 'nobody' });
    const answer = await httpsRequest(
      `${cloud.emulator.context.endpoints.admin}/requests?since=${since}&service=exchange`,
      cloud.ca,
    );
    const steps = list(answer.json.value).filter((e) => e.detail !== undefined);
    assert.deepEqual(
      steps.map((e) => `${String(e.detail)} ${String(e.status)}`),
      ['Set-Mailbox 200', 'Add-MailboxPermission 200', 'Set-Mailbox 200', 'Get-Mailbox 404'],
    );
    assert.ok(steps.every((e) => String(e.tenantId) === cloud.tenant.id));
  });
});

describe('through @azure/identity', () => {
  it('runs Get-Mailbox with a token from the emulator token endpoint', async (t) => {
    const ctx = cloud.emulator.context;
    const demo = '7c1d5f0e-3c4b-4b8e-9a51-2f1e6d3c9b10';
    const probe = await httpsRequest(`${ctx.endpoints.login}/${demo}/oauth2/v2.0/token`, cloud.ca, {
      method: 'POST',
    });
    if (probe.status === 404) {
      t.skip('the sign-in service is not merged yet (token endpoint answers 404)');
      return;
    }
    const credential = new ClientSecretCredential(
      demo,
      'c3d4e5f6-0003-4000-8000-000000000001',
      'demo-client-secret-not-for-production',
      {
        authorityHost: ctx.endpoints.login,
        disableInstanceDiscovery: true,
      },
    );
    const token = await credential.getToken('https://outlook.office365.com/.default');
    const answer = await invoke(
      cloud,
      token.token,
      'Get-Mailbox',
      { Identity: 'admin@contoso.test' },
      { tenant: demo },
    );
    assert.equal(answer.status, 200);
  });
});
