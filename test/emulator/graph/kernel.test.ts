// The kernel API other Graph route modules use (emulator/src/graph/kernel): a route registered with
// addGraphRoute gets token checking, permission checking, throttling choice, Graph error bodies and id headers.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { EmulatorRequest } from '../../../emulator/src/http/router';
import { createGraphService } from '../../../emulator/src/graph/service';
import { addGraphRoute, graphErrors } from '../../../emulator/src/graph/kernel';
import { addTenant, startEmulator, tenantSeed } from './helpers';

function request(method: string, path: string, headers: Record<string, string>): EmulatorRequest {
  const url = new URL(path, 'https://emulator.invalid');
  return {
    method,
    path: url.pathname,
    url,
    query: url.searchParams,
    headers,
    params: {},
    body: Buffer.alloc(0),
    raw: {} as IncomingMessage,
  };
}

describe('Graph kernel API', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  it('a route added by another module runs the same pipeline', async () => {
    const ctx = emulator.context;
    const graph = createGraphService(ctx);
    addGraphRoute(
      graph.router,
      ctx,
      'GET',
      '/v1.0/users/{id}/kernelTestResource',
      { permissions: { application: ['MailboxSettings.Read'] }, throttle: 'none' },
      (req, call) => {
        if (req.params.id === 'missing') throw graphErrors.notFound('missing');
        return call.json(200, { '@odata.context': call.odataContext('mailboxSettings'), timeZone: 'UTC' });
      },
    );
    const run = async (path: string, token?: string) => {
      const req = request(
        'GET',
        path,
        token ? { authorization: `Bearer ${token}`, 'client-request-id': 'abc' } : {},
      );
      const found = graph.router.match('GET', req.path);
      assert.ok(found && !('methodMismatch' in found));
      req.params = found.params;
      return (await found.handler(req, undefined as never))!;
    };
    const denied = await run('/v1.0/users/x/kernelTestResource', addTenant(emulator, tenantSeed()).token());
    assert.equal(denied.status, 403);
    const allowed = addTenant(emulator, tenantSeed({ permissions: ['MailboxSettings.Read'] }));
    const ok = await run('/v1.0/users/x/kernelTestResource', allowed.token());
    assert.equal(ok.status, 200);
    assert.equal((ok.body as { timeZone: string }).timeZone, 'UTC');
    assert.equal(ok.headers?.['client-request-id'], 'abc');
    assert.ok(ok.headers?.['request-id']);
    assert.equal(ok.headers?.['x-ms-resource-unit'], undefined, "throttle 'none' skips identity throttling");
    const missing = await run('/v1.0/users/missing/kernelTestResource', allowed.token());
    assert.equal(missing.status, 404);
    assert.equal((missing.body as { error: { code: string } }).error.code, 'Request_ResourceNotFound');
    assert.equal((await run('/v1.0/users/x/kernelTestResource')).status, 401);
  });
});
