// Real throttling: the emulator's Graph token buckets answer 429 with Retry-After during a bulk load of workers, and
// the engine still converges. The app's resource-unit bucket (tenant size S: 3,500 RU per 10 s) is drained first and
// refills slowly (timeScale 0.2: 3,500 RU per 50 s); the load then runs against that limit, while the same app's
// competing traffic keeps the bucket empty until the product has been refused (so a slow machine cannot outrun the
// refill). Asserted from the emulator's request log (the product's requests got 429s) and from the directory (every
// worker correct).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startScenario, TENANT, type Scenario } from './scenarioWorld';

const FLOW = (name: string) => `
version: 1
name: ${name}
connection: demo
hr:
  timeZone: { field: TimeZone, fallback: Europe/Berlin }
  fields:
    Id: { type: string, required: true }
    Status: { type: string, required: true }
    First: { type: string, required: true }
    Last: { type: string, required: true }
    Dept: string
    Start: { type: date, required: true }
    TimeZone: string
matching: { joinKey: Id }
status: { field: Status, values: { Active: active, Terminated: terminated }, startDate: Start }
stages:
  run: [hire, update, termination]
  hire: { initialCredential: { kind: password, length: 16, classes: [lower, upper, digit, symbol] } }
attributes:
  displayName: 'Join(" ", [First], [Last])'
  department: 'IgnoreFlowIfNullOrEmpty([Dept])'
  usageLocation: '"DE"'
naming:
  userPrincipalName: ['Join("@", ToLower(Join(".", [First], [Last])), "contoso.test")']
  mailNickname: ['ToLower(Join(".", [First], [Last]))']
groups:
  default: [All Employees]
  rules:
    - { when: { attribute: Dept, operator: EQUALS, value: Sales }, grant: [Sales] }
licenses: { default: [SPE_E3] }
`;

let s: Scenario;
let adminRoot: string;

before(async () => {
  s = await startScenario(FLOW);
  adminRoot = s.stack.emulator.admin.replace(/\/_emulator\/?$/, '');
  await s.admin('/_emulator/graph/settings', 'PUT', { timeScale: 0.2 });
});

after(async () => {
  await s?.stack.stop();
});

interface Logged {
  seq: number;
  method: string;
  path: string;
  query: string;
  status: number;
  detail?: string;
}
async function requestsSince(seq: number): Promise<Logged[]> {
  const body = (await (await fetch(`${adminRoot}/_emulator/requests?service=graph&since=${seq}`)).json()) as {
    value: Logged[];
  };
  return body.value;
}

// The test's own resource-unit spending is marked so the product's requests can be told apart in the log (the
// product never sends $top).
const DRAIN_QUERY = '$top=999';
const isDrain = (e: Logged) => e.query.includes(DRAIN_QUERY);

/** One $batch of 20 list reads; true when Graph refused it or any item of it (the bucket is empty). */
async function spendResourceUnits(): Promise<boolean> {
  const requests = Array.from({ length: 20 }, (_, i) => ({
    id: String(i + 1),
    method: 'GET',
    url: `/users?${DRAIN_QUERY}`,
  }));
  const res = await s.graph('/$batch', { method: 'POST', body: JSON.stringify({ requests }) });
  if (res.status === 429) return true;
  const body = (await res.json()) as { responses: { status: number }[] };
  return body.responses.some((r) => r.status === 429);
}

/** Spends the app's resource units with $batch GETs until Graph answers 429 (bounded). */
async function drainResourceUnits(): Promise<void> {
  for (let round = 0; round < 400; round++) if (await spendResourceUnits()) return;
  throw new Error('the resource-unit bucket never ran out');
}

/**
 * Competing traffic of the same app (another job sharing the connection): keeps the bucket empty until Graph has
 * refused one of the product's own requests, so the load meets 429s however fast or slow this machine runs it.
 */
async function competeUntilTheProductIsThrottled(seq: number, done: () => boolean): Promise<void> {
  for (let round = 0; round < 2_000 && !done(); round++) {
    if ((await requestsSince(seq)).some((e) => e.status === 429 && !isDrain(e))) return;
    await spendResourceUnits();
  }
}

test('a bulk load under real 429s converges: every worker correct (Retry-After handling itself: test/graph/client.test.ts)', async () => {
  const workers = Array.from({ length: 16 }, (_, i) => {
    const id = `B${i.toString().padStart(2, '0')}${Date.now().toString(36).slice(-3)}`;
    return {
      Id: id,
      Status: 'Active',
      First: 'Bulk',
      Last: `W${id}`,
      Dept: i % 2 ? 'Sales' : '',
      Start: '2026-01-05',
    };
  });
  await drainResourceUnits();
  // The admin view agrees: the app's resource-unit bucket in this tenant is (nearly) empty.
  const buckets = (await (await s.admin(`/_emulator/graph/tenants/${TENANT}/throttle`, 'GET')).json()) as {
    value: { information: string; scope: string; capacity: number; tokens: number }[];
  };
  const ru = buckets.value.find(
    (b) => b.scope === 'Tenant_Application' && b.information === 'ResourceUnitLimitExceeded',
  );
  assert.ok(ru && ru.tokens < ru.capacity / 10, JSON.stringify(buckets));
  const seq = await s.requestSeq();

  let sent = false;
  const competing = competeUntilTheProductIsThrottled(seq, () => sent);
  const outcomes = await Promise.all(workers.map((w) => s.send(w, '1')));
  sent = true;
  await competing;
  // Transient failures the executor gave up on become delayed retries on the queue: deliver them when due, until
  // every worker is through (bounded).
  const allOk = async () =>
    (await Promise.all(workers.map((w) => s.deps.workers.get(s.flowName, w.Id)))).every(
      (r) => r?.status === 'ok' && r.lastVersion === '1',
    );
  for (let i = 0; i < 240 && !(await allOk()); i++) {
    s.queue.due(s.clock.now());
    await s.drain();
    await new Promise((r) => setTimeout(r, 500));
  }
  // Whatever is still scheduled is a verification follow-up or a later retry: delivering it now changes nothing.
  s.queue.due(new Date(8.64e15));
  await s.drain();

  const log = await requestsSince(seq);
  const throttled = log.filter((e) => e.status === 429 && !isDrain(e));
  assert.ok(throttled.length > 0, "Graph answered 429 to the product's requests during the load");
  assert.ok(
    log.some((e) => e.status < 300 && e.method !== 'GET' && !e.path.endsWith('/$batch')),
    'writes got through after the throttling',
  );

  for (const [i, w] of workers.entries()) {
    const record = await s.deps.workers.get(s.flowName, w.Id);
    assert.equal(record?.status, 'ok', `${w.Id}: ${record?.reason} (first outcome ${outcomes[i]!.status})`);
    assert.equal(record?.lastVersion, '1');
    const user = (await (
      await s.graph(`/users/${record!.objectId}?$select=userPrincipalName,accountEnabled,department`)
    ).json()) as { userPrincipalName: string; accountEnabled: boolean; department: string | null };
    assert.equal(user.userPrincipalName, `bulk.w${w.Id.toLowerCase()}@contoso.test`);
    assert.equal(user.accountEnabled, true);
    assert.equal(user.department ?? '', w.Dept);
    const groups = (await (await s.graph(`/users/${record!.objectId}/memberOf`)).json()) as {
      value: { displayName: string }[];
    };
    assert.deepEqual(
      groups.value.map((g) => g.displayName).sort(),
      w.Dept ? ['All Employees', 'Sales'] : ['All Employees'],
    );
    const licences = (await (
      await s.graph(`/users/${record!.objectId}?$select=assignedLicenses`)
    ).json()) as { assignedLicenses: unknown[] };
    assert.equal(licences.assignedLicenses.length, 1);
  }
  // Exactly one account per worker: nothing was created twice while requests were being refused and retried.
  const creates = (await requestsSince(seq)).filter(
    (e) =>
      e.status === 201 &&
      (e.path.endsWith('/users') || e.detail?.startsWith('$batch')) &&
      e.method === 'POST',
  );
  assert.ok(creates.filter((e) => e.path.endsWith('/users')).length <= workers.length);
});
