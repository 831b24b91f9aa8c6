// Crash test: a child process runs the reconcile loop over a batch of hires and is killed (SIGKILL) at random
// points, then restarted with the same messages (redelivery). After a final complete run the directory matches the
// expected state exactly and no worker has two accounts. Graph runs with replication lag, so a create whose
// result was lost is not visible to $filter when the restarted process looks for it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { WorkerMessage } from '../../shared/messaging/message';
import { startScenario, TENANT, type Scenario } from './scenarioWorld';

const FLOW = (name: string) => `
version: 1
name: ${name}
connection: demo
hr:
  timeZone: UTC
  fields:
    Id: { type: string, required: true }
    Status: { type: string, required: true }
    First: { type: string, required: true }
    Last: { type: string, required: true }
    Dept: string
    Start: { type: date, required: true }
matching: { joinKey: Id }
status: { field: Status, values: { Active: active }, startDate: Start }
stages:
  run: [hire, update]
  hire: { createDaysBeforeStart: 0, initialCredential: { kind: password, length: 16, classes: [lower, upper, digit, symbol] } }
attributes:
  displayName: 'Join(" ", [First], [Last])'
  department: '[Dept]'
  usageLocation: '"DE"'
naming:
  userPrincipalName:
    - 'Join("@", ToLower(Join(".", [First], [Last])), "contoso.test")'
    - 'Join("@", ToLower(Join(".", [First], [Last], [Id])), "contoso.test")'
  mailNickname: ['ToLower(Join(".", [First], [Last]))', 'ToLower(Join("", "w", [Id]))']
groups:
  default: [All Employees]
  rules:
    - { when: { attribute: Dept, operator: EQUALS, value: Sales }, grant: [Sales] }
    - { when: { attribute: Dept, operator: EQUALS, value: Engineering }, grant: [Engineering] }
licenses: { default: [SPE_E3] }
`;

let s: Scenario;
before(async () => {
  s = await startScenario(FLOW);
  await s.admin(`/_emulator/graph/tenants/${TENANT}/faults`, 'PUT', {
    replicationLagMs: 3000,
    latency: { fixedMs: 15 },
  });
  await new Promise((r) => setTimeout(r, 3200));
});
after(async () => {
  await s?.stack.stop();
});

function runChild(
  messages: WorkerMessage[],
  killAfterMs?: number,
): Promise<{ finished: boolean; done: number }> {
  const adminRoot = s.stack.emulator.admin.replace(/\/_emulator\/?$/, '');
  const demo = s.stack.emulator.demo!;
  const child = spawn(process.execPath, [join(__dirname, 'crashWorker.js')], {
    env: {
      ...process.env,
      ...s.stack.appSettings,
      CRASH_CONFIG: JSON.stringify({
        settings: s.stack.appSettings,
        demo: { tenantId: demo.tenantId, clientId: demo.clientId, clientSecret: demo.clientSecret },
        flowYaml: FLOW(s.flowName),
        adminRoot,
        messages,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', () => undefined);
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) =>
    child.on('exit', () => {
      if (timer) clearTimeout(timer);
      resolve({ finished: out.includes('"finished"'), done: (out.match(/"event":"done"/g) ?? []).length });
    }),
  );
}

test('killing the worker at random points never leaves a duplicate or a half-applied worker', async () => {
  const depts = ['Sales', 'Engineering', 'Sales', 'Marketing'];
  const messages: WorkerMessage[] = Array.from({ length: 12 }, (_, i) => {
    const id = `K${s.flowName.slice(1, 5)}${i}`;
    return {
      kind: 'snapshot',
      flow: s.flowName,
      employeeId: id,
      version: '1',
      // Pairs of namesakes make the UPN fallback and reservations part of the crash window.
      record: {
        Id: id,
        Status: 'Active',
        First: 'Kim',
        Last: `Crash${Math.floor(i / 2)}${s.flowName.slice(1, 4)}`,
        Dept: depts[i % 4],
        Start: '2026-01-01',
      },
      sentAt: new Date().toISOString(),
    };
  });
  let seed = 12345;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const kills: number[] = [];
  const interrupted: number[] = [];
  for (let i = 0; i < 4; i++) {
    const at = 300 + Math.floor(random() * 1500);
    kills.push(at);
    const run = await runChild(messages, at);
    if (!run.finished) interrupted.push(run.done);
  }
  assert.ok(
    interrupted.length >= 2,
    `runs were really interrupted mid-batch (${interrupted.join(', ')} done)`,
  );
  const final = await runChild(messages);
  assert.ok(final.finished, `the final run completes (kills at ${kills.join(', ')} ms)`);
  await new Promise((r) => setTimeout(r, 3200)); // let replication lag pass before listing
  const token = async () => {
    const res = await s.graph('/users?$top=1');
    assert.equal(res.status, 200);
  };
  await token();
  const upns = new Set<string>();
  for (const m of messages) {
    const filter = encodeURIComponent(`employeeId eq '${m.employeeId}'`);
    const body = (await (
      await s.graph(`/users?$filter=${filter}&$select=id,userPrincipalName,accountEnabled,department`)
    ).json()) as {
      value: { id: string; userPrincipalName: string; accountEnabled: boolean; department: string }[];
    };
    assert.equal(body.value.length, 1, `exactly one account for ${m.employeeId}`);
    const u = body.value[0];
    assert.equal(u.accountEnabled, true);
    assert.equal(u.department, m.record!.Dept);
    assert.ok(!upns.has(u.userPrincipalName), 'distinct UPNs');
    upns.add(u.userPrincipalName);
    const groups = (await (await s.graph(`/users/${u.id}/memberOf`)).json()) as {
      value: { displayName: string }[];
    };
    const names = groups.value.map((g) => g.displayName).sort();
    const expected = [
      'All Employees',
      ...(['Sales', 'Engineering'].includes(String(m.record!.Dept)) ? [String(m.record!.Dept)] : []),
    ].sort();
    assert.deepEqual(names, expected, `groups of ${m.employeeId}`);
    const lic = (await (await s.graph(`/users/${u.id}/licenseDetails`)).json()) as {
      value: { skuPartNumber: string }[];
    };
    assert.deepEqual(
      lic.value.map((l) => l.skuPartNumber),
      ['SPE_E3'],
    );
    const worker = await s.deps.workers.get(s.flowName, m.employeeId);
    assert.equal(worker?.status, 'ok', `${m.employeeId}: ${worker?.reason}`);
    assert.equal(worker?.objectId, u.id);
  }
});
