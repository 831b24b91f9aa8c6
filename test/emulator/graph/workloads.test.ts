// mailboxSettings (Outlook) and OneDrive (SharePoint) routes go through the Graph kernel like the directory routes:
// the same token check, fault injection, request ids and emulator-clock innerError.date, and throttling by each
// workload's documented limits (https://learn.microsoft.com/graph/throttling-limits "Outlook service limits", global
// limit; SharePoint "Avoid getting throttled or blocked"): Outlook 10,000 requests per 10 min per app+mailbox and 4
// concurrent per app; SharePoint resource units per app per minute; workload budgets are separate, the global
// per-app budget is shared.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { graphDate } from '../../../emulator/src/graph/kernel/errors';
import { filesCharges, globalCharge, outlookCharges } from '../../../emulator/src/graph/kernel/serviceLimits';
import { updateGraphSettings } from '../../../emulator/src/graph/kernel/settings';
import { chargeBuckets, chargeRequest } from '../../../emulator/src/graph/kernel/throttle';
import {
  APPS,
  appToken,
  graphClient,
  graphError,
  httpsRequest,
  startTestCloud,
  type AppName,
  type HttpAnswer,
  type TestCloud,
} from '../exchange/helpers';

let cloud: TestCloud;
const upn = (name: string): string => `${name}@${cloud.domain}`;
const userId = (name: string): string =>
  [...cloud.tenant.users.values()].find((u) => u.properties.userPrincipalName === upn(name))!.id;
const state = () => cloud.emulator.context.state;
const admin = () => cloud.emulator.context.endpoints.admin;

function graph(
  path: string,
  options: {
    app?: AppName;
    token?: string;
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<HttpAnswer> {
  const token = options.token ?? appToken(cloud, options.app ?? 'graphWriter', 'graph');
  return httpsRequest(`${cloud.emulator.context.endpoints.graph}${path}`, cloud.ca, {
    method: options.method ?? 'GET',
    headers: { Authorization: `Bearer ${token}`, ...(options.headers ?? {}) },
    body: options.body,
  });
}

async function setFaults(faults: unknown): Promise<void> {
  const res = await httpsRequest(`${admin()}/graph/tenants/${cloud.tenant.id}/faults`, cloud.ca, {
    method: 'PUT',
    body: faults,
  });
  assert.equal(res.status, 200, res.text);
}

async function resetThrottling(): Promise<void> {
  const res = await httpsRequest(`${admin()}/graph/tenants/${cloud.tenant.id}/throttle/reset`, cloud.ca, {
    method: 'POST',
  });
  assert.equal(res.status, 200);
}

/** Slows refills 1,000× so a drained bucket stays drained while a test runs; restored afterwards. */
async function withSlowRefill(run: () => Promise<void>): Promise<void> {
  updateGraphSettings(state(), { timeScale: 0.001 });
  try {
    await run();
  } finally {
    updateGraphSettings(state(), { timeScale: 1 });
    await resetThrottling();
    // The admin reset forgets this tenant's buckets; the global per-app one spans tenants, so forget all.
    state().extensions.delete('graph.throttle');
  }
}

before(async () => {
  cloud = await startTestCloud();
  // Alice's OneDrive exists, so drive calls reach the SharePoint workload.
  const res = await httpsRequest(
    `${admin()}/onedrive/${cloud.tenant.id}/users/${upn('alice')}/provision`,
    cloud.ca,
    { method: 'POST' },
  );
  assert.equal(res.status, 200);
});
after(async () => cloud.close());

describe('mailboxSettings and OneDrive through the Graph kernel', () => {
  it('an injected 503 is served for a mailboxSettings route and an injected 504 for a OneDrive route', async () => {
    try {
      await setFaults({ errorRate: 1, errorStatuses: [503], errorRetryAfterSeconds: 7 });
      const mail = await graph(`/v1.0/users/${upn('alice')}/mailboxSettings`, {
        headers: { 'client-request-id': 'mbx-1' },
      });
      assert.equal(mail.status, 503);
      assert.equal(mail.json.error?.code, 'serviceNotAvailable');
      assert.equal(mail.headers['retry-after'], '7');
      assert.equal(mail.json.error?.innerError?.['client-request-id'], 'mbx-1');
      assert.equal(mail.json.error?.innerError?.['request-id'], mail.headers['request-id']);

      await setFaults({ errorRate: 1, errorStatuses: [504] });
      const drive = await graph(`/v1.0/users/${upn('alice')}/drive`);
      assert.equal(drive.status, 504);
      assert.equal(drive.json.error?.code, 'GatewayTimeout');
      assert.ok(drive.headers['retry-after']);
      const invite = await graph(`/v1.0/users/${upn('alice')}/drive/root/invite`, {
        method: 'POST',
        body: { recipients: [{ email: upn('bob') }], roles: ['read'] },
      });
      assert.equal(invite.status, 504);
    } finally {
      await setFaults({});
    }
    assert.equal((await graph(`/v1.0/users/${upn('alice')}/mailboxSettings`)).status, 200);
    assert.equal((await graph(`/v1.0/users/${upn('alice')}/drive`)).status, 200);
  });

  it('injected latency delays OneDrive and mailboxSettings answers', async () => {
    try {
      await setFaults({ latency: { fixedMs: 150 } });
      for (const path of [
        `/v1.0/users/${upn('alice')}/drive`,
        `/v1.0/users/${upn('alice')}/mailboxSettings`,
      ]) {
        const started = Date.now();
        assert.equal((await graph(path)).status, 200);
        assert.ok(Date.now() - started >= 145, `${path} took ${Date.now() - started} ms`);
      }
    } finally {
      await setFaults({});
    }
  });

  it('error bodies carry the emulator clock in innerError.date (401, 403, 404 on both workloads)', async () => {
    // Move the emulator clock far from real time, so a real-clock date cannot pass by accident.
    state().clock.advance(400 * 24 * 3600 * 1000);
    const expected = (): string[] => {
      const now = state().clock.now();
      return [graphDate(now), graphDate(now - 1000), graphDate(now + 1000)];
    };
    const cases: [string, HttpAnswer, number, string][] = [
      [
        'mailboxSettings, unknown user',
        await graph(`/v1.0/users/nobody@${cloud.domain}/mailboxSettings`),
        404,
        'ErrorInvalidUser',
      ],
      [
        'mailboxSettings, no permission',
        await graph(`/v1.0/users/${upn('alice')}/mailboxSettings`, { app: 'graphNone' }),
        403,
        'ErrorAccessDenied',
      ],
      [
        'mailboxSettings, Exchange token',
        await graph(`/v1.0/users/${upn('alice')}/mailboxSettings`, {
          token: appToken(cloud, 'admin', 'exchange'),
        }),
        401,
        'InvalidAuthenticationToken',
      ],
      ['OneDrive, not provisioned', await graph(`/v1.0/users/${upn('bob')}/drive`), 404, 'ResourceNotFound'],
      [
        'OneDrive, no permission',
        await graph(`/v1.0/users/${upn('alice')}/drive`, { app: 'graphNone' }),
        403,
        'accessDenied',
      ],
      [
        'OneDrive, no token',
        await graph(`/v1.0/users/${upn('alice')}/drive`, { token: '' }),
        401,
        'InvalidAuthenticationToken',
      ],
    ];
    for (const [name, res, status, code] of cases) {
      assert.equal(res.status, status, `${name}: ${res.text}`);
      assert.equal(res.json.error?.code, code, name);
      const date = String(res.json.error?.innerError?.date);
      assert.ok(expected().includes(date), `${name}: innerError.date ${date} is not the emulator clock`);
      assert.equal(res.json.error?.innerError?.['request-id'], res.headers['request-id'], name);
    }
    assert.equal(
      cases[1]![1].json.error?.message,
      'Access is denied. Check credentials and try again.',
      'Outlook keeps its own 403 body',
    );
  });

  it('the directory budget does not throttle Outlook or OneDrive calls (separate workloads)', async () => {
    await withSlowRefill(async () => {
      const appId = APPS.graphWriter.appId;
      assert.ok(chargeRequest(state(), cloud.tenant, appId, { resourceUnits: 3_500, writes: 0 }).ok);
      const users = await graph('/v1.0/users');
      assert.equal(users.status, 429);
      assert.equal(
        users.headers['x-ms-throttle-scope'],
        `Tenant_Application/ReadWrite/${appId}/${cloud.tenant.id}`,
      );
      assert.equal((await graph(`/v1.0/users/${upn('alice')}/mailboxSettings`)).status, 200);
      assert.equal((await graph(`/v1.0/users/${upn('alice')}/drive`)).status, 200);
    });
  });

  it('the global per-app budget throttles every workload, directory, mailboxSettings and OneDrive alike', async () => {
    await withSlowRefill(async () => {
      const appId = APPS.graphWriter.appId;
      const all = globalCharge(appId);
      assert.ok(chargeBuckets(state(), [{ ...all, need: all.spec.capacity }]).ok);
      for (const path of [
        '/v1.0/organization',
        `/v1.0/users/${upn('alice')}/mailboxSettings`,
        `/v1.0/users/${upn('alice')}/drive`,
      ]) {
        const res = await graph(path);
        assert.equal(res.status, 429, path);
        assert.equal(res.json.error?.code, 'TooManyRequests', path);
        assert.ok(Number(res.headers['retry-after']) > 0, path);
      }
      // Another app has its own global budget.
      assert.equal(
        (await graph(`/v1.0/users/${upn('alice')}/mailboxSettings`, { app: 'graphReader' })).status,
        200,
      );
    });
  });

  it('Outlook: 10,000 requests per 10 minutes per app and mailbox; other mailboxes and the directory are unaffected', async () => {
    await withSlowRefill(async () => {
      const appId = APPS.graphWriter.appId;
      const [alice] = outlookCharges(cloud.tenant, appId, userId('alice'));
      assert.equal(alice!.spec.capacity, 10_000);
      assert.ok(chargeBuckets(state(), [{ ...alice!, need: 9_999 }]).ok);
      // The 10,000th request passes, the next is refused.
      assert.equal((await graph(`/v1.0/users/${upn('alice')}/mailboxSettings`)).status, 200);
      const refused = await graph(`/v1.0/users/${userId('alice')}/mailboxSettings/automaticRepliesSetting`, {
        headers: { 'client-request-id': 'c-429' },
      });
      assert.equal(refused.status, 429);
      assert.equal(refused.json.error?.code, 'TooManyRequests');
      assert.equal(refused.headers['client-request-id'], 'c-429');
      assert.equal(refused.json.error?.innerError?.date, graphDate(state().clock.now()).slice(0, 19));
      const retryAfter = Number(refused.headers['retry-after']);
      // One request's refill at 10,000 per 600 s is 60 ms, slowed 1,000×.
      assert.ok(retryAfter > 50 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      // A PATCH to the same mailbox is refused too and changes nothing.
      const patch = await graph(`/v1.0/users/${upn('alice')}/mailboxSettings`, {
        method: 'PATCH',
        body: { timeZone: 'Pacific Standard Time' },
      });
      assert.equal(patch.status, 429);
      assert.equal((await graph(`/v1.0/users/${upn('bob')}/mailboxSettings`)).status, 200);
      assert.equal((await graph(`/v1.0/users/${upn('alice')}`)).status, 200);
      assert.equal(
        (await graph(`/v1.0/users/${upn('alice')}/mailboxSettings`, { app: 'graphReader' })).status,
        200,
      );
      // The admin view lists the mailbox bucket apart from the directory's.
      const view = await httpsRequest(`${admin()}/graph/tenants/${cloud.tenant.id}/throttle`, cloud.ca);
      const buckets = view.json.value as unknown as { key: string; service: string; scope: string }[];
      const mailbox = buckets.find((b) => b.key === alice!.key);
      assert.equal(mailbox?.service, 'outlook');
      assert.ok(
        buckets.every((b) => b.scope !== 'Tenant_Application' || b.service === 'identity'),
        JSON.stringify(buckets),
      );
      // After Retry-After (emulator clock) the mailbox budget has room again.
      state().clock.advance(retryAfter * 1000);
      const again = await graph(`/v1.0/users/${upn('alice')}/mailboxSettings`);
      assert.equal(again.status, 200);
      assert.equal(again.json.timeZone, 'UTC', 'the refused PATCH changed nothing');
    });
  });

  it('Outlook: a fifth concurrent request of one app is refused with ApplicationThrottled (MailboxConcurrency)', async () => {
    try {
      await setFaults({ latency: { fixedMs: 300 } });
      const mailboxes = ['alice', 'bob', 'carol', 'frank', 'alice', 'bob'];
      const answers = await Promise.all(mailboxes.map((m) => graph(`/v1.0/users/${upn(m)}/mailboxSettings`)));
      const ok = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status === 429);
      assert.equal(ok.length, 4, answers.map((a) => a.status).join(','));
      assert.equal(refused.length, 2);
      for (const r of refused) {
        assert.equal(r.json.error?.code, 'ApplicationThrottled');
        assert.equal(r.json.error?.message, 'Application is over its MailboxConcurrency limit.');
        assert.ok(Number(r.headers['retry-after']) > 0);
        assert.ok(r.json.error?.innerError?.['request-id']);
      }
      // Slots are given back once answered.
      const later = await Promise.all(
        ['alice', 'bob'].map((m) => graph(`/v1.0/users/${upn(m)}/mailboxSettings`)),
      );
      assert.deepEqual(
        later.map((a) => a.status),
        [200, 200],
      );
    } finally {
      await setFaults({});
    }
  });

  it('OneDrive: SharePoint resource units per app per minute, RateLimit headers from 80 %, activityLimitReached when spent', async () => {
    await withSlowRefill(async () => {
      const caller = { kind: 'app' as const, appId: APPS.graphWriter.appId, principalId: '' };
      const [perMinute] = filesCharges(cloud.tenant, caller, 1);
      assert.equal(perMinute!.spec.capacity, 1_250, 'a tenant under 1,000 licences');
      assert.ok(chargeBuckets(state(), [{ ...perMinute!, need: 1_000 }]).ok);
      // GET drive costs 1 resource unit: 1,001 of 1,250 used.
      const read = await graph(`/v1.0/users/${upn('alice')}/drive`);
      assert.equal(read.status, 200);
      assert.equal(read.headers['ratelimit-limit'], '1250');
      assert.equal(read.headers['ratelimit-remaining'], '249');
      assert.ok(Number(read.headers['ratelimit-reset']) > 0);
      // Permission operations cost 5: 49 more invites fit in the remaining 249 units, the 50th does not.
      assert.ok(chargeBuckets(state(), [{ ...perMinute!, need: 245 }]).ok);
      const invite = await graph(`/v1.0/users/${upn('alice')}/drive/root/permissions`);
      assert.equal(invite.status, 429);
      assert.equal(invite.json.error?.code, 'activityLimitReached');
      assert.equal(invite.headers['ratelimit-remaining'], '4');
      assert.ok(Number(invite.headers['retry-after']) > 0);
      // A single-item read still fits in the 4 units left; the mailbox workload is unaffected.
      assert.equal((await graph(`/v1.0/users/${upn('alice')}/drive`)).status, 200);
      assert.equal((await graph(`/v1.0/users/${upn('alice')}/mailboxSettings`)).status, 200);
    });
  });

  it('inside $batch, a mailboxSettings item runs through the same throttling', async () => {
    await withSlowRefill(async () => {
      const [alice] = outlookCharges(cloud.tenant, APPS.graphWriter.appId, userId('alice'));
      assert.ok(chargeBuckets(state(), [{ ...alice!, need: 10_000 }]).ok);
      const res = await graph('/v1.0/$batch', {
        method: 'POST',
        body: {
          requests: [
            { id: '1', method: 'GET', url: `/users/${upn('alice')}/mailboxSettings` },
            { id: '2', method: 'GET', url: `/users/${upn('bob')}/mailboxSettings` },
          ],
        },
      });
      assert.equal(res.status, 200);
      const byId = new Map(
        (
          res.json.responses as unknown as { id: string; status: number; headers: Record<string, string> }[]
        ).map((r) => [r.id, r]),
      );
      assert.equal(byId.get('1')!.status, 429);
      assert.ok(Number(byId.get('1')!.headers['Retry-After']) > 0);
      assert.equal(byId.get('2')!.status, 200);
    });
  });

  it('the SDK RetryHandler rides through an injected 503 on mailboxSettings honouring Retry-After', async () => {
    try {
      // Half the calls fail (seeded, so the sequence is the same every run); the RetryHandler retries them.
      await setFaults({ errorRate: 0.5, errorStatuses: [503], errorRetryAfterSeconds: 0.01, randomSeed: 42 });
      const settings = (await graphClient(
        cloud.emulator.context.endpoints.graph,
        appToken(cloud, 'graphReader', 'graph'),
      )
        .api(`/users/${upn('alice')}/mailboxSettings`)
        .get()) as { automaticRepliesSetting?: { status?: string } };
      assert.equal(settings.automaticRepliesSetting?.status, 'disabled');
    } finally {
      await setFaults({});
    }
    // Without faults an SDK error still surfaces the Outlook code.
    const denied = await graphError(
      graphClient(cloud.emulator.context.endpoints.graph, appToken(cloud, 'graphNone', 'graph'))
        .api(`/users/${upn('alice')}/mailboxSettings`)
        .get(),
    );
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.code, 'ErrorAccessDenied');
  });

  it('mailboxSettings and OneDrive calls are in the request log with their tenant and app', async () => {
    const since = state().log.lastSeq;
    await graph(`/v1.0/users/${upn('alice')}/mailboxSettings`);
    await graph(`/v1.0/users/${upn('alice')}/drive`);
    const log = await httpsRequest(`${admin()}/requests?service=graph&since=${since}`, cloud.ca);
    const entries = log.json.value as unknown as { path: string; tenantId?: string; appId?: string }[];
    for (const tail of ['/mailboxSettings', '/drive']) {
      const e = entries.find((x) => x.path.endsWith(tail));
      assert.ok(e, `${tail} logged`);
      assert.equal(e.tenantId, cloud.tenant.id);
      assert.equal(e.appId, APPS.graphWriter.appId);
    }
  });
});
