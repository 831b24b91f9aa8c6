// Retry-After proven from the emulator's request log, not from the client's own account: a leaver runs through the
// real engine, the product's Graph client and Exchange admin client (production wiring, real sleeps), while the
// emulator throttles with a known Retry-After. From the log (times in ms, status, the Retry-After sent) it checks:
// each refused request is retried — same method and path — no sooner than Retry-After after the refusal was sent;
// nothing else reaches the throttled service from this worker during the wait; the retry eventually succeeds; and
// the retries stop where the product's policy says (Graph: DEFAULT_RETRY.maxRetries, Exchange: maxAttempts), after
// which the engine schedules a queue redelivery no sooner than the Retry-After either.
// Run with `npm test -- dist/test/engine/scenario-retry-after.test.js` (the harness trusts the emulator's CA).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_EXCHANGE_RETRY } from '../../shared/exchange/policy';
import { DEFAULT_RETRY } from '../../shared/graph/policy';
import { startLeaverCloud, userByEmployeeId, type LeaverCloud } from '../playbook/support/world';
import { adminApi, productionLeaverWorld, type Logged } from './retryAfterWorld';

let cloud: LeaverCloud;
let api: ReturnType<typeof adminApi>;
before(async () => {
  cloud = await startLeaverCloud();
  api = adminApi(cloud);
});
after(async () => {
  await cloud?.close();
});

const leaver = (id: string, first: string, last: string) => ({
  Id: id,
  First: first,
  Last: last,
  Status: 'Terminated',
  Dept: 'Sales',
  Country: 'DE',
  Start: '2025-01-06',
  LastDay: '2026-03-09',
  Manager: 'M1',
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const key = (e: Logged) => `${e.method} ${e.path}${e.query}`;
const isBatchItem = (e: Logged) => e.detail?.startsWith('$batch ') ?? false;
const isEnvelope = (e: Logged) => e.detail === undefined && e.path.endsWith('/$batch');

/**
 * When the service sent the answer for `e` and when the request behind `e` came in. A `$batch` item is answered
 * with its envelope and arrives with it (the envelope is logged after its items).
 */
function timesOf(e: Logged, log: readonly Logged[]): { answeredAt: number; receivedAt: number } {
  const carrier = isBatchItem(e) ? log.find((x) => x.seq > e.seq && isEnvelope(x) && x.appId === e.appId) : e;
  assert.ok(carrier, `the $batch envelope of #${e.seq} is in the log`);
  return { answeredAt: carrier.at, receivedAt: carrier.at - carrier.durationMs };
}

/**
 * For every refusal in `log` (a 429/503 with Retry-After): the same request comes again no sooner than Retry-After
 * after the refusal was sent, no other request arrives during the wait, and the last try of it succeeded.
 * Returns the refusals checked.
 */
function assertRetryAfterHonoured(log: readonly Logged[], requests: readonly Logged[]): Logged[] {
  const refusals = requests.filter((e) => e.status === 429 || e.status === 503);
  for (const refused of refusals) {
    assert.ok(refused.retryAfter, `#${refused.seq} ${key(refused)} carries Retry-After`);
    const waitMs = Number(refused.retryAfter) * 1000;
    assert.ok(waitMs > 0, `Retry-After ${refused.retryAfter} is a positive number of seconds`);
    const { answeredAt } = timesOf(refused, log);
    const retry = requests.find((e) => e.seq > refused.seq && key(e) === key(refused));
    assert.ok(retry, `#${refused.seq} ${key(refused)} was retried`);
    const gap = timesOf(retry, log).receivedAt - answeredAt;
    assert.ok(
      gap >= waitMs,
      `#${retry.seq} came ${gap} ms after the ${refused.status} of #${refused.seq}, Retry-After ${waitMs} ms`,
    );
    const during = requests.filter((e) => {
      const at = timesOf(e, log).receivedAt;
      return at > answeredAt && at < answeredAt + waitMs;
    });
    assert.deepEqual(
      during.map((e) => `#${e.seq} ${key(e)}`),
      [],
      `nothing reached the service during the ${waitMs} ms wait after #${refused.seq}`,
    );
    const tries = requests.filter((e) => key(e) === key(refused));
    assert.ok(tries.at(-1)!.status < 300, `${key(refused)} finally succeeded (${tries.at(-1)!.status})`);
  }
  return refusals;
}

/** Tries per request (method, path, query), counting consecutive refusals of the same request. */
function longestRefusalRun(requests: readonly Logged[]): number {
  const runs = new Map<string, number>();
  let longest = 0;
  for (const e of requests) {
    const n = e.status === 429 || e.status === 503 ? (runs.get(key(e)) ?? 0) + 1 : 0;
    runs.set(key(e), n);
    longest = Math.max(longest, n);
  }
  return longest;
}

/** Cmdlet entries (names) paired with the listener's entries for the same calls (exact times). */
async function exchangeCalls(since: number): Promise<(Logged & { cmdlet: string })[]> {
  const log = await api.log(since, 'exchange');
  const cmdlets = log.filter((e) => e.detail !== undefined);
  const http = log.filter((e) => e.detail === undefined);
  // The client sends one call at a time, so the two lists pair up in order; statuses confirm the pairing.
  assert.equal(cmdlets.length, http.length);
  return http.map((e, i) => {
    assert.equal(e.status, cmdlets[i]!.status, `pairing of #${e.seq}`);
    assert.equal(e.retryAfter, cmdlets[i]!.retryAfter);
    return { ...e, cmdlet: cmdlets[i]!.detail! };
  });
}
const withCmdletKey = (calls: (Logged & { cmdlet: string })[]) =>
  calls.map((c) => ({ ...c, query: `${c.query} ${c.cmdlet}` }));

describe('Graph', () => {
  const settings = (body: unknown) => api.call('/graph/settings', 'PUT', body);

  it(
    '429 from the token bucket: retried after Retry-After (single and $batch item), nothing sent meanwhile, the leaver completes',
    { timeout: 120_000 },
    async () => {
      const w = productionLeaverWorld(cloud);
      const app = cloud.apps.leaver;
      const token = (await w.credential.getToken('https://graph.microsoft.com/.default'))!.token;
      // Empty the app's resource-unit bucket in this tenant with refills frozen (first 2-RU, then 1-RU reads), so
      // what is left is below one unit.
      await settings({ timeScale: 1e-6 });
      const post = async (url: string) => {
        const requests = Array.from({ length: 20 }, (_, i) => ({ id: String(i + 1), method: 'GET', url }));
        const res = await fetch(`${cloud.emulator.context.endpoints.graph}/v1.0/$batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ requests }),
        });
        const body = (await res.json()) as { responses: { status: number }[] };
        return body.responses.some((r) => r.status === 429);
      };
      for (const url of ['/users', '/organization'])
        for (let round = 0; !(await post(url)); round++) assert.ok(round < 400, 'the bucket runs out');
      // Only this app uses the tenant, so its app+tenant resource-unit bucket is the one.
      const buckets = (await api.call(`/graph/tenants/${cloud.tenant.id}/throttle`)) as {
        value: { scope: string; information: string; tokens: number }[];
      };
      const left = buckets.value.find(
        (b) => b.scope === 'Tenant_Application' && b.information === 'ResourceUnitLimitExceeded',
      )!.tokens;
      assert.ok(left < 1, `bucket drained (${left} RU left)`);
      // Refill so that the next one-unit request is asked to wait about 1.5 s (S tenant: 3,500 RU per 10 s).
      await settings({ timeScale: (1 - left) / 1.5 / 350 });

      const seq = await api.lastSeq();
      let settled = false;
      const outcome = w.send(leaver('E1', 'Ada', 'Lovelace'), '1').finally(() => (settled = true));
      // Let Graph throttle the engine until both a single request and a $batch item were refused, then lift the
      // limit (the clients are still waiting; their retries find room).
      for (let i = 0; !settled; i++) {
        const log = (await api.log(seq, 'graph')).filter((e) => e.appId === app && e.status === 429);
        if (log.some(isBatchItem) && log.some((e) => !isBatchItem(e))) break;
        assert.ok(i < 400, `Graph refused a single request and a $batch item (log: ${JSON.stringify(log)})`);
        await sleep(25);
      }
      await settings({ timeScale: 1 });
      await api.call(`/graph/tenants/${cloud.tenant.id}/throttle/reset`, 'POST');
      const out = await outcome;
      const log = (await api.log(seq, 'graph')).filter((e) => e.appId === app);
      const requests = log.filter((e) => !isEnvelope(e));
      const refusals = assertRetryAfterHonoured(log, requests);
      assert.equal(out.status, 'applied', JSON.stringify(out));
      assert.ok(refusals.some(isBatchItem) && refusals.some((e) => !isBatchItem(e)));
      for (const r of refusals)
        assert.ok(Number(r.retryAfter) >= 0.5, `a wait worth proving: ${r.retryAfter} s`);
      assert.ok(longestRefusalRun(requests) <= DEFAULT_RETRY.maxRetries);
      // The leaver's Graph part really happened after the throttling.
      const ada = userByEmployeeId(cloud, 'E1');
      assert.equal(ada.properties.accountEnabled, false);
    },
  );

  it(
    'a refusal that never lifts: exactly 1 + maxRetries tries, each after Retry-After, then a queue redelivery no sooner',
    { timeout: 120_000 },
    async () => {
      const w = productionLeaverWorld(cloud);
      const app = cloud.apps.leaver;
      await settings({ timeScale: 1 });
      // 503 with Retry-After is retried by the same policy as 429 (shared/graph/policy.ts); the token bucket cannot
      // refuse forever with a short Retry-After, injected faults can.
      await api.call(`/graph/tenants/${cloud.tenant.id}/faults`, 'PUT', {
        errorRate: 1,
        errorStatuses: [503],
        errorRetryAfterSeconds: 1,
      });
      const seq = await api.lastSeq();
      const first = await w.send(leaver('E3', 'Nora', 'Noperm'), '1');
      await api.call(`/graph/tenants/${cloud.tenant.id}/faults`, 'DELETE');
      assert.equal(first.status, 'retryScheduled', JSON.stringify(first));
      if (first.status !== 'retryScheduled') return;
      assert.equal(first.code, 'TENURE_GRAPH_UNAVAILABLE');
      // The redelivery is due no sooner than the Retry-After Graph last sent.
      assert.ok(Date.parse(first.at) - w.clock.now().getTime() >= 1000, first.at);

      const tries = (await api.log(seq, 'graph')).filter((e) => e.appId === app);
      // One request, refused every time: the engine sent nothing else while it was being retried.
      assert.equal(new Set(tries.map(key)).size, 1, JSON.stringify(tries.map(key)));
      assert.equal(tries.length, 1 + DEFAULT_RETRY.maxRetries);
      for (const [i, e] of tries.entries()) {
        assert.equal(e.status, 503);
        assert.equal(e.retryAfter, '1');
        if (i > 0) {
          const gap = e.at - e.durationMs - tries[i - 1]!.at;
          assert.ok(gap >= 1000, `try ${i + 1} came ${gap} ms after the 503 before it (Retry-After 1 s)`);
        }
      }

      // The queue redelivers no sooner than asked (here: a real second, as the emulator measures it).
      await sleep(1000);
      const seq2 = await api.lastSeq();
      const [second] = await w.deliverScheduled();
      assert.equal(second?.status, 'applied', JSON.stringify(second));
      const redelivered = (await api.log(seq2, 'graph')).find((e) => e.appId === app)!;
      assert.equal(key(redelivered), key(tries[0]!));
      assert.ok(redelivered.at - redelivered.durationMs - tries.at(-1)!.at >= 1000);
      assert.equal(userByEmployeeId(cloud, 'E3').properties.accountEnabled, false);
    },
  );
});

describe('Exchange admin API', () => {
  it(
    '429: retried after Retry-After up to maxAttempts, redelivered no sooner, retried again and the leaver completes',
    { timeout: 120_000 },
    async () => {
      const w = productionLeaverWorld(cloud);
      const refusals = DEFAULT_EXCHANGE_RETRY.maxAttempts + 1;
      await api.call(`/exchange/${cloud.tenant.id}/throttling`, 'PUT', {
        rejectNext: refusals,
        retryAfterSeconds: 1,
      });
      const seq = await api.lastSeq();
      const first = await w.send(leaver('E4', 'Tom', 'Throttled'), '1');
      assert.equal(first.status, 'retryScheduled', JSON.stringify(first));
      if (first.status !== 'retryScheduled') return;
      assert.equal(first.code, 'TENURE_EXCHANGE_THROTTLED');
      assert.ok(Date.parse(first.at) - w.clock.now().getTime() >= 1000, first.at);
      const firstRun = await exchangeCalls(seq);
      // maxAttempts tries of the first cmdlet, all refused; nothing else was sent to Exchange.
      assert.deepEqual(
        firstRun.map((c) => `${c.cmdlet} ${c.status} ${c.retryAfter}`),
        Array(DEFAULT_EXCHANGE_RETRY.maxAttempts).fill('Get-Mailbox 429 1'),
      );

      await sleep(1000);
      const second = (await w.deliverScheduled())[0];
      assert.equal(second?.status, 'applied', JSON.stringify(second));
      await api.call(`/exchange/${cloud.tenant.id}/throttling`, 'DELETE');

      const calls = withCmdletKey(await exchangeCalls(seq));
      const refused = calls.filter((c) => c.status === 429);
      assert.equal(refused.length, refusals);
      // Every refusal (the in-run retries and the redelivery) was followed by the same cmdlet no sooner than
      // Retry-After, with nothing sent to Exchange in between; the last Get-Mailbox succeeded.
      assertRetryAfterHonoured(calls, calls);
      assert.equal(calls.find((c) => c.seq > refused.at(-1)!.seq)?.cmdlet, 'Get-Mailbox');
      // And the leaver's Exchange steps ran after the throttling.
      const mailboxes = (await api.call(`/exchange/${cloud.tenant.id}/mailboxes`)) as {
        value: { userId: string; recipientTypeDetails: string }[];
      };
      const tom = userByEmployeeId(cloud, 'E4');
      assert.equal(mailboxes.value.find((m) => m.userId === tom.id)?.recipientTypeDetails, 'SharedMailbox');
    },
  );
});

describe('a Retry-After longer than a worker is held', () => {
  it(
    'is not cut short: Graph and Exchange hand the worker to the queue, which redelivers no sooner, and the leaver completes',
    { timeout: 120_000 },
    async () => {
      // The in-process bound shrunk to 1 s so that a 2 s Retry-After is "long" (production: 180 s Graph, 60 s Exchange).
      const w = productionLeaverWorld(cloud, {
        graph: { ...DEFAULT_RETRY, maxDelayMs: 1000 },
        exchange: { maxDelayMs: 1000 },
      });
      const app = cloud.apps.leaver;
      const now = () => w.clock.now().getTime();
      await api.call('/graph/settings', 'PUT', { timeScale: 1 });
      await api.call(`/graph/tenants/${cloud.tenant.id}/faults`, 'PUT', {
        errorRate: 1,
        errorStatuses: [503],
        errorRetryAfterSeconds: 2,
      });
      const seq = await api.lastSeq();
      const first = await w.send(leaver('E2', 'Lin', 'Legal'), '1');
      await api.call(`/graph/tenants/${cloud.tenant.id}/faults`, 'DELETE');
      assert.equal(first.status, 'retryScheduled', JSON.stringify(first));
      if (first.status !== 'retryScheduled') return;
      assert.equal(first.code, 'TENURE_GRAPH_UNAVAILABLE');
      assert.ok(Date.parse(first.at) - now() >= 2000, first.at);
      const graphTries = (await api.log(seq, 'graph')).filter((e) => e.appId === app);
      assert.deepEqual(
        graphTries.map((e) => `${e.status} ${e.retryAfter}`),
        ['503 2'],
      );

      await sleep(2000);
      await api.call(`/exchange/${cloud.tenant.id}/throttling`, 'PUT', {
        rejectNext: 1,
        retryAfterSeconds: 2,
      });
      const seq2 = await api.lastSeq();
      const [second] = await w.deliverScheduled();
      assert.equal(second?.status, 'retryScheduled', JSON.stringify(second));
      if (second?.status !== 'retryScheduled') return;
      assert.equal(second.code, 'TENURE_EXCHANGE_THROTTLED');
      assert.ok(Date.parse(second.at) - now() >= 2000, second.at);
      assert.deepEqual(
        (await exchangeCalls(seq2)).map((c) => `${c.cmdlet} ${c.status} ${c.retryAfter}`),
        ['Get-Mailbox 429 2'],
      );

      await sleep(2000);
      const [third] = await w.deliverScheduled();
      assert.equal(third?.status, 'applied', JSON.stringify(third));
      // From the log: both refusals were followed by the same request no sooner than their Retry-After, with
      // nothing sent to that service in between, and succeeded then.
      const graph = (await api.log(seq, 'graph')).filter((e) => e.appId === app);
      assertRetryAfterHonoured(
        graph,
        graph.filter((e) => !isEnvelope(e)),
      );
      const calls = withCmdletKey(await exchangeCalls(seq));
      assertRetryAfterHonoured(calls, calls);
      assert.equal(userByEmployeeId(cloud, 'E2').properties.accountEnabled, false);
    },
  );
});
