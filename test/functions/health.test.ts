// The health handler invoked with the @azure/functions package's own HttpRequest and InvocationContext.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import { healthHandler } from '../../functions/health';
import { checkHealth } from '../../shared/health/checks';

function context(logs: unknown[][]): InvocationContext {
  return new InvocationContext({
    functionName: 'health',
    invocationId: 'test-1',
    logHandler: (level, ...args) => logs.push([level, ...args]),
  });
}

const request = new HttpRequest({ method: 'GET', url: 'http://127.0.0.1:7071/api/health' });
const ok = async (): Promise<void> => {};

test('all dependencies answering gives 200 with per-dependency status and latency', async () => {
  const logs: unknown[][] = [];
  const res = new HttpResponse(
    await healthHandler(() => ({ tables: ok, keyVault: ok, serviceBus: ok }))(request, context(logs)),
  );
  assert.equal(res.status, 200);
  const body = (await res.json()) as {
    status: string;
    dependencies: Record<string, { status: string; latencyMs: number }>;
  };
  assert.equal(body.status, 'healthy');
  assert.deepEqual(Object.keys(body.dependencies).sort(), ['keyVault', 'serviceBus', 'tables']);
  for (const d of Object.values(body.dependencies)) {
    assert.equal(d.status, 'healthy');
    assert.ok(d.latencyMs >= 0);
  }
  assert.deepEqual(logs, []);
});

test('one dependency down gives 503 naming it, with the error class but no secret', async () => {
  const logs: unknown[][] = [];
  const failing = async (): Promise<void> => {
    throw Object.assign(new Error('connect ECONNREFUSED https://acct.table.core.windows.net?sig=SECRET'), {
      code: 'ECONNREFUSED',
    });
  };
  const res = new HttpResponse(
    await healthHandler(() => ({ tables: failing, keyVault: ok, serviceBus: ok }))(request, context(logs)),
  );
  assert.equal(res.status, 503);
  const text = await res.text();
  assert.ok(!text.includes('SECRET'), 'no part of the error message reaches the answer');
  const body = JSON.parse(text) as {
    status: string;
    dependencies: Record<string, { status: string; error?: string }>;
  };
  assert.equal(body.status, 'unhealthy');
  assert.equal(body.dependencies.tables?.status, 'unhealthy');
  assert.equal(body.dependencies.tables?.error, 'Error ECONNREFUSED');
  assert.equal(body.dependencies.keyVault?.status, 'healthy');
  assert.deepEqual(logs, [['warning', 'health: unhealthy dependencies: tables']]);
});

test('a hung dependency is reported unhealthy after the timeout', async () => {
  const hung = (): Promise<void> => new Promise(() => {});
  const report = await checkHealth({ tables: ok, keyVault: hung, serviceBus: ok }, { timeoutMs: 50 });
  assert.equal(report.dependencies.keyVault.status, 'unhealthy');
  assert.equal(report.dependencies.keyVault.error, 'ProbeTimeoutError TENURE_HEALTH_TIMEOUT');
});
