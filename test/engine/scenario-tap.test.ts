// Temporary Access Pass hand-over, end to end: a hire with `initialCredential: temporaryAccessPass` creates the pass
// on the emulator's Graph (POST /users/{id}/authentication/temporaryAccessPassMethods) and keeps it only as a
// short-lived secret in the emulator's Key Vault — never in logs, the timeline, the worker record or the answers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvocationContext } from '@azure/functions';
import { createAzureClients } from '../../shared/azure/clients';
import {
  initialCredentialSecretName,
  KeyVaultCredentialVault,
} from '../../shared/engine/adapters/keyVaultVault';
import type { EngineDeps } from '../../shared/engine/reconcile';
import { reconcileWorkerHandler } from '../../functions/reconcileWorker';
import { startScenario, type Scenario } from './scenarioWorld';

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
    Start: { type: date, required: true }
    TimeZone: string
matching:
  joinKey: Id
status:
  field: Status
  values: { Active: active, Terminated: terminated }
  startDate: Start
stages:
  run: [hire, update, termination]
  hire:
    initialCredential: { kind: temporaryAccessPass, lifetimeMinutes: 120 }
attributes:
  displayName: 'Join(" ", [First], [Last])'
  givenName: '[First]'
  surname: '[Last]'
  usageLocation: '"DE"'
naming:
  userPrincipalName:
    - 'Join("@", ToLower(Join(".", [First], [Last])), "contoso.test")'
  mailNickname:
    - 'ToLower(Join(".", [First], [Last]))'
`;

let s: Scenario;
let settings: Record<string, string>;

before(async () => {
  s = await startScenario(FLOW);
  settings = s.stack.appSettings;
  // The production Key Vault adapter against the emulator's Key Vault (the managed identity path).
  const clients = createAzureClients(settings);
  (s.deps as { vault: EngineDeps['vault'] }).vault = new KeyVaultCredentialVault(() => clients.secrets());
});

after(async () => {
  await s?.stack.stop();
});

interface TapView {
  id: string;
  temporaryAccessPass: string | null;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: string;
}

test('a hire with a Temporary Access Pass: the pass is only in Key Vault, short-lived, never logged', async () => {
  const id = `T${Date.now().toString(36)}`;
  const logs: string[] = [];
  const handler = reconcileWorkerHandler(() => s.deps);
  const context = new InvocationContext({
    functionName: 'reconcileWorker',
    invocationId: 'tap-1',
    logHandler: (_level, ...args) => logs.push(args.map((a) => JSON.stringify(a)).join(' ')),
  });
  const today = s.clock.now().toISOString().slice(0, 10);
  const outcome = await handler(
    {
      kind: 'snapshot',
      flow: s.flowName,
      employeeId: id,
      version: '1',
      record: { Id: id, Status: 'Active', First: 'Tia', Last: `P${id}`, Start: today },
      sentAt: s.clock.now().toISOString(),
    },
    context,
  );
  assert.equal(outcome.status, 'applied', JSON.stringify(outcome).slice(0, 600));

  const worker = await s.deps.workers.get(s.flowName, id);
  const objectId = worker!.objectId!;
  // Graph: one pass, usable now, its value hidden on read.
  const listed = (await (
    await s.graph(`/users/${objectId}/authentication/temporaryAccessPassMethods`)
  ).json()) as { value: TapView[] };
  assert.equal(listed.value.length, 1);
  assert.equal(listed.value[0]!.temporaryAccessPass, null);
  assert.equal(listed.value[0]!.lifetimeInMinutes, 120);
  assert.equal(listed.value[0]!.isUsable, true);

  // Key Vault: the pass, expiring with it.
  const secret = await createAzureClients(settings)
    .secrets()
    .getSecret(initialCredentialSecretName(s.flowName, id));
  const pass = secret.value!;
  assert.match(pass, /^.{8,}$/);
  const expires = secret.properties.expiresOn!.getTime();
  assert.ok(Math.abs(expires - (s.clock.now().getTime() + 120 * 60_000)) < 60_000, 'expires with the pass');

  // Nowhere else: function logs, the outcome, the worker record, the timeline (what GET …/workers/{id} returns).
  const timeline = await s.deps.timeline.list(s.flowName, id, 100);
  assert.ok(timeline.some((e) => e.kind === 'operation' && e.data.kind === 'setInitialCredential'));
  for (const [where, text] of [
    ['logs', logs.join('\n')],
    ['outcome', JSON.stringify(outcome)],
    ['worker', JSON.stringify(worker)],
    ['timeline', JSON.stringify(timeline)],
  ] as const)
    assert.equal(text.includes(pass), false, `the pass appears in the ${where}`);

  // The same snapshot again writes nothing (no second pass).
  const seq = await s.requestSeq();
  assert.equal(
    (await s.send({ Id: id, Status: 'Active', First: 'Tia', Last: `P${id}`, Start: today }, '1')).status,
    'noChange',
  );
  assert.deepEqual(await s.graphWritesSince(seq), []);
});

test('the emulator serves temporaryAccessPassMethods as documented', async () => {
  const id = `U${Date.now().toString(36)}`;
  const today = s.clock.now().toISOString().slice(0, 10);
  await s.send({ Id: id, Status: 'Active', First: 'Uma', Last: `Q${id}`, Start: today }, '1');
  const objectId = (await s.deps.workers.get(s.flowName, id))!.objectId!;
  const path = `/users/${objectId}/authentication/temporaryAccessPassMethods`;
  const post = (body: unknown) => s.graph(path, { method: 'POST', body: JSON.stringify(body) });

  for (const lifetimeInMinutes of [9, 43_201, 12.5]) {
    const res = await post({ lifetimeInMinutes });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'badRequest');
    assert.match(body.error.message, /LifetimeInMinutes/);
  }
  assert.equal((await post({ isUsableOnce: 'yes' })).status, 400);

  // Future start: not yet valid; the create answer carries the value, reads never do.
  const start = new Date(s.clock.now().getTime() + 86_400_000).toISOString();
  const created = await post({ startDateTime: start, lifetimeInMinutes: 60, isUsableOnce: true });
  assert.equal(created.status, 201);
  const view = (await created.json()) as TapView & { startDateTime: string };
  assert.equal(typeof view.temporaryAccessPass, 'string');
  assert.equal(view.isUsable, false);
  assert.equal(view.methodUsabilityReason, 'NotYetValid');
  assert.equal(view.isUsableOnce, true);
  assert.equal(Math.floor(Date.parse(view.startDateTime) / 1000), Math.floor(Date.parse(start) / 1000));

  // One pass per user: the new one replaced the engine's.
  const listed = (await (await s.graph(path)).json()) as { value: TapView[] };
  assert.deepEqual(
    listed.value.map((v) => [v.id, v.temporaryAccessPass]),
    [[view.id, null]],
  );
  assert.equal((await s.graph(`${path}/${view.id}`)).status, 200);
  assert.equal((await s.graph(`${path}/${view.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await s.graph(`${path}/${view.id}`)).status, 404);
  assert.equal(
    (await s.graph(`/users/00000000-0000-4000-8000-00000000dead/authentication/temporaryAccessPassMethods`))
      .status,
    404,
  );
});
