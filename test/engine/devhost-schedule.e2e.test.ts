// Future-dated changes through the real broker: the dev host's reconcileWorker schedules a future-dated hire and a
// future-dated termination as Service Bus scheduled messages on the emulator's broker (its own queue); nothing
// happens before the local effective moment; advancing the emulator clock past it releases them and the dev host
// (following the emulator clock, TENURE_DEVHOST_EMULATOR_CLOCK) applies them. A private stack: its clock moves.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceBusClient } from '@azure/service-bus';
import { startLocalStack, type LocalStack } from '../../devhost/localStack';
import { ServiceBusWorkerSender } from '../../shared/messaging/sender';
import { startDevhost, type RunningDevhost } from '../support/stack';
import { scenarioSeed } from './scenarioWorld';

const FLOW = `
version: 1
name: sched
connection: demo
hr:
  timeZone: { field: TimeZone, fallback: UTC }
  fields:
    Id: { type: string, required: true }
    Status: { type: string, required: true }
    First: { type: string, required: true }
    Last: { type: string, required: true }
    Start: { type: date, required: true }
    LastDay: date
    TimeZone: string
matching: { joinKey: Id }
status:
  field: Status
  values: { Active: active, Terminated: terminated }
  startDate: Start
  lastDayWorked: LastDay
stages:
  run: [hire, update, termination]
  hire: { createDaysBeforeStart: 0, initialCredential: { kind: password, length: 16, classes: [lower, upper, digit, symbol] } }
  termination: { disable: true, revokeSessions: true, removeGroups: true, removeLicenses: false }
attributes:
  displayName: 'Join(" ", [First], [Last])'
  usageLocation: '"DE"'
naming:
  userPrincipalName: ['Join("@", ToLower(Join(".", [First], [Last])), "contoso.test")']
  mailNickname: ['ToLower(Join(".", [First], [Last]))']
`;

let stack: LocalStack;
let host: RunningDevhost;
let sb: ServiceBusClient;
let sender: ServiceBusWorkerSender;
let adminRoot: string;

before(async () => {
  stack = await startLocalStack({ seed: scenarioSeed() });
  adminRoot = stack.emulator.admin.replace(/\/_emulator\/?$/, '');
  const flowsDir = mkdtempSync(join(tmpdir(), 'tenure-flows-'));
  writeFileSync(join(flowsDir, 'sched.yaml'), FLOW);
  const demo = stack.emulator.demo!;
  host = await startDevhost(stack.appSettings, {
    TENURE_FLOWS_DIR: flowsDir,
    TENURE_DEVHOST_EMULATOR_CLOCK: '1',
    TENURE_DEMO_CONNECTIONS: JSON.stringify([
      { id: 'demo', tenantId: demo.tenantId, clientId: demo.clientId, clientSecret: demo.clientSecret },
    ]),
  });
  sb = new ServiceBusClient(stack.appSettings.ServiceBusConnection);
  sender = new ServiceBusWorkerSender(sb.createSender(host.queue));
  // Azurite checks token times against the real clock: let the dev host take its storage token before the
  // emulator clock (which stamps the tokens it issues) moves ahead.
  assert.equal((await api('flows/sched/workers/nobody')).status, 404);
});

after(async () => {
  await sb?.close();
  await host?.stop();
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function emulatorNow(): Promise<number> {
  const body = (await (await fetch(`${adminRoot}/_emulator/clock`)).json()) as { now: string };
  return Date.parse(body.now);
}

async function advanceTo(at: number): Promise<void> {
  const res = await fetch(`${adminRoot}/_emulator/clock/advance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to: new Date(at).toISOString() }),
  });
  assert.equal(res.status, 200, await res.text());
}

/** The local calendar date of an instant in a zone (YYYY-MM-DD). */
function localDate(at: number, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(at));
}

/** UTC instant of 00:00 local time on `date` in `zone` (independent of the engine's own zonedTime). */
function localMidnight(date: string, zone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const offsetAt = (t: number) => {
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
        .formatToParts(new Date(t))
        .map((x) => [x.type, x.value]),
    ) as Record<string, string>;
    return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!) - t;
  };
  let at = guess - offsetAt(guess);
  at = guess - offsetAt(at);
  return at;
}

/** Every zone's next local midnight at least 3 minutes after `now`, soonest first. */
function nextMidnights(now: number) {
  return Intl.supportedValuesOf('timeZone')
    .flatMap((zone) => {
      const today = localDate(now, zone);
      const tomorrow = localDate(localMidnight(today, zone) + 36 * 3_600_000, zone);
      const midnight = localMidnight(tomorrow, zone);
      const ahead = midnight - now;
      return ahead >= 3 * 60_000 ? [{ zone, today, tomorrow, midnight, ahead }] : [];
    })
    .sort((a, b) => a.ahead - b.ahead);
}

/**
 * A zone whose next local midnight is 3–58 minutes ahead of the emulator clock (so the clock moves less than a
 * token's lifetime), with that midnight and the zone's today/tomorrow. Some wall-clock minutes (around the full
 * hour, when no half- or quarter-hour zone is near its midnight) have none; then the emulator clock first moves
 * forward just far enough that the soonest midnight is 50 minutes away.
 */
async function zoneWithMidnightSoon() {
  const soonest = nextMidnights(await emulatorNow())[0]!;
  if (soonest.ahead <= 58 * 60_000) return soonest;
  await advanceTo(soonest.midnight - 50 * 60_000);
  const moved = nextMidnights(await emulatorNow())[0]!;
  assert.ok(
    moved.ahead <= 58 * 60_000,
    `the soonest midnight is ${moved.ahead} ms away after moving the clock`,
  );
  return moved;
}

async function api(path: string, init: RequestInit = {}) {
  const res = await fetch(`${host.url}/api/${path}`, {
    ...init,
    headers: { 'x-functions-key': host.functionKey, 'content-type': 'application/json' },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

interface WorkerView {
  lastVersion?: string;
  status?: string;
  objectId?: string;
  phase?: string;
  scheduledWakeAt?: string;
}
interface Entry {
  kind: string;
  at: string;
  data: Record<string, unknown>;
}

async function waitFor(
  employeeId: string,
  ok: (w: WorkerView) => boolean,
  what: string,
): Promise<{ worker: WorkerView; timeline: Entry[] }> {
  let last: unknown;
  for (let i = 0; i < 150; i++) {
    const r = await api(`flows/sched/workers/${employeeId}`);
    last = r.body;
    const worker = r.body.worker as WorkerView | undefined;
    if (r.status === 200 && worker && ok(worker)) return { worker, timeline: r.body.timeline as Entry[] };
    await sleep(200);
  }
  throw new Error(`${employeeId}: ${what} never happened: ${JSON.stringify(last).slice(0, 800)}`);
}

const snapshot = (record: Record<string, string>, version: string) => ({
  kind: 'snapshot' as const,
  flow: 'sched',
  employeeId: record.Id!,
  version,
  record,
  sentAt: new Date().toISOString(),
});

async function scheduledCount(): Promise<number> {
  const body = (await (await fetch(`${adminRoot}/_emulator/servicebus/queues`)).json()) as {
    value: { name: string; counts: { scheduled: number } }[];
  };
  return body.value.find((q) => q.name === host.queue)!.counts.scheduled;
}

test('a future-dated hire and termination fire through the broker at the local midnight (emulator clock)', async () => {
  const { zone, today, tomorrow, midnight } = await zoneWithMidnightSoon();
  const midnightIso = new Date(midnight).toISOString();
  const base = { Status: 'Active', TimeZone: zone };

  // The leaver: active since last year, last day worked = today (local) → disabled at the end of today.
  const leaver = { ...base, Id: 'T1', First: 'Theo', Last: 'Leaver', Start: '2025-01-06' };
  await sender.send(snapshot(leaver, '1'));
  await waitFor('T1', (w) => w.lastVersion === '1' && !!w.objectId, 'the hire');
  await sender.send(snapshot({ ...leaver, Status: 'Terminated', LastDay: today }, '2'));
  const pendingLeave = await waitFor('T1', (w) => w.lastVersion === '2', 'the termination event');
  assert.equal(pendingLeave.worker.phase, 'active');
  assert.equal(pendingLeave.worker.scheduledWakeAt, midnightIso);

  // The joiner: starts tomorrow (local) → nothing before the local midnight, then created enabled.
  await sender.send(snapshot({ ...base, Id: 'H1', First: 'Hana', Last: 'Joiner', Start: tomorrow }, '1'));
  const pendingHire = await waitFor('H1', (w) => w.lastVersion === '1', 'the hire event');
  assert.equal(pendingHire.worker.objectId, undefined);
  assert.equal(pendingHire.worker.scheduledWakeAt, midnightIso);
  assert.ok((await scheduledCount()) >= 2, 'both wakes are scheduled messages on the broker');

  // Just before the local midnight: nothing fires.
  await advanceTo(midnight - 30_000);
  await sleep(1500);
  assert.equal((await waitFor('H1', () => true, 'read')).worker.objectId, undefined);
  assert.equal((await waitFor('T1', () => true, 'read')).worker.phase, 'active');

  // Past it: the broker releases both wakes and the dev host applies them.
  await advanceTo(midnight + 1000);
  const hired = await waitFor('H1', (w) => !!w.objectId && w.phase === 'active', 'the scheduled hire');
  const left = await waitFor('T1', (w) => w.phase === 'terminated', 'the scheduled termination');

  for (const { timeline } of [hired, left]) {
    const wake = timeline.find((e) => e.kind === 'eventReceived' && e.data.kind === 'wake');
    assert.ok(wake, 'handled as a wake message');
    assert.ok(Date.parse(wake.at) >= midnight, `handled at ${wake.at}, not before ${midnightIso}`);
  }
  const applied = (t: Entry[], kind: string) =>
    t.find((e) => e.kind === 'operation' && e.data.kind === kind && e.data.status === 'applied');
  const create = applied(hired.timeline, 'createUser');
  assert.equal((create?.data.after as { accountEnabled?: boolean }).accountEnabled, true);
  assert.ok(applied(left.timeline, 'disableUser'));
  assert.ok(applied(left.timeline, 'revokeSessions'));
});
