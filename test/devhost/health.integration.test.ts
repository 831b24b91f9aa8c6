// `npm start` end to end: the dev host runs the compiled app against Azurite and the emulator; /api/health is 200
// with per-dependency detail, and 503 naming Tables once Azurite is stopped.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startLocalStack, type LocalStack } from '../../devhost/localStack';
import { startDevhost, type RunningDevhost } from '../support/stack';

let stack: LocalStack;
let devhost: RunningDevhost;

before(async () => {
  stack = await startLocalStack();
  devhost = await startDevhost(stack.appSettings);
});
after(async () => {
  await devhost?.stop();
  await stack?.stop();
});

interface Report {
  status: string;
  dependencies: Record<string, { status: string; latencyMs: number; error?: string }>;
}

test('health is 200 with every dependency healthy', async () => {
  const res = await fetch(`${devhost.url}/api/health`);
  const body = (await res.json()) as Report;
  assert.equal(res.status, 200, JSON.stringify(body));
  for (const name of ['tables', 'keyVault', 'serviceBus']) {
    assert.equal(body.dependencies[name]?.status, 'healthy', name);
    assert.equal(typeof body.dependencies[name]?.latencyMs, 'number');
  }
});

test('health is 503 naming tables when Azurite stops', async () => {
  await stack.azurite.stop();
  const res = await fetch(`${devhost.url}/api/health`);
  const body = (await res.json()) as Report;
  assert.equal(res.status, 503);
  assert.equal(body.dependencies.tables?.status, 'unhealthy');
  assert.equal(body.dependencies.keyVault?.status, 'healthy');
});
