// Conformance: JSON batching (https://learn.microsoft.com/graph/json-batching; graph-spec.md §3).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
import { addTenant, newUserBody, startEmulator, tenantSeed } from './helpers';

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: { error?: { code: string; message: string } } & Record<string, unknown>;
}

describe('Graph $batch (conformance)', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  it('runs each request, envelope 200, correlate by id; responses may come in another order (https://learn.microsoft.com/graph/json-batching)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const requests = Array.from({ length: 10 }, (_, i) => ({
      id: String(i + 1),
      method: 'POST',
      url: '/users',
      headers: { 'Content-Type': 'application/json' },
      body: newUserBody(t.domain, `batch${i}`),
    }));
    requests.push({
      id: 'list',
      method: 'GET',
      url: 'users?$select=id&$top=1',
      headers: {} as never,
      body: undefined as never,
    });
    const res = await t.client().api('/$batch').post({ requests });
    const responses = res.responses as BatchResponse[];
    assert.equal(responses.length, 11);
    assert.deepEqual(responses.map((r) => r.id).sort(), requests.map((r) => r.id).sort());
    assert.notDeepEqual(
      responses.map((r) => r.id),
      requests.map((r) => r.id),
      'shuffled (seeded random source)',
    );
    for (const r of responses.filter((x) => x.id !== 'list')) assert.equal(r.status, 201);
    assert.equal(responses.find((r) => r.id === 'list')!.status, 200);
    assert.ok(responses[0]!.headers['x-ms-resource-unit'], 'sub-responses carry x-ms-resource-unit');
  });

  it('dependsOn: dependents of a failed request get 424 Failed Dependency (https://learn.microsoft.com/graph/json-batching)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const res = await t.fetch('POST', '/v1.0/$batch', {
      body: {
        requests: [
          {
            id: '1',
            method: 'POST',
            url: '/users',
            headers: { 'Content-Type': 'application/json' },
            body: newUserBody(`unverified-${t.domain}`, 'fails'),
          },
          { id: '2', method: 'GET', url: '/users?$top=1', dependsOn: ['1'] },
          { id: '3', method: 'GET', url: '/organization', dependsOn: ['2'] },
          { id: '4', method: 'GET', url: '/organization' },
        ],
      },
    });
    assert.equal(res.status, 200);
    const byId = new Map((res.body.responses as BatchResponse[]).map((r) => [r.id, r]));
    assert.equal(byId.get('1')!.status, 400);
    assert.equal(byId.get('1')!.body?.error?.code, 'Request_BadRequest');
    assert.equal(byId.get('2')!.status, 424);
    assert.equal(byId.get('3')!.status, 424);
    assert.equal(byId.get('4')!.status, 200);
    // Each item that ran is in the request log with its batch id.
    const logged = emulator.context.state.log.since(0).filter((e) => e.tenantId === t.tenant.id && e.detail);
    assert.deepEqual(logged.map((e) => e.detail).sort(), ['$batch 1', '$batch 4']);
  });

  it('sub-requests are checked for permission individually (https://learn.microsoft.com/graph/json-batching: 403 example)', async () => {
    const t = addTenant(emulator, tenantSeed({ permissions: ['User.Read.All'] }));
    const res = await t.fetch('POST', '/v1.0/$batch', {
      body: {
        requests: [
          { id: 'read', method: 'GET', url: '/users' },
          {
            id: 'write',
            method: 'POST',
            url: '/users',
            headers: { 'Content-Type': 'application/json' },
            body: newUserBody(t.domain, 'x'),
          },
        ],
      },
    });
    const byId = new Map((res.body.responses as BatchResponse[]).map((r) => [r.id, r]));
    assert.equal(byId.get('read')!.status, 200);
    assert.equal(byId.get('write')!.status, 403);
    assert.equal(byId.get('write')!.body?.error?.code, 'Authorization_RequestDenied');
    assert.equal(
      byId.get('write')!.body?.error?.message,
      'Insufficient privileges to complete the operation.',
    );
  });

  it('malformed batches → 400: more than 20, duplicate ids (case-insensitive), body without headers (https://learn.microsoft.com/graph/json-batching)', async () => {
    const t = addTenant(emulator, tenantSeed());
    const get = (id: string) => ({ id, method: 'GET', url: '/users' });
    const tooMany = await t.fetch('POST', '/v1.0/$batch', {
      body: { requests: Array.from({ length: 21 }, (_, i) => get(String(i))) },
    });
    assert.equal(tooMany.status, 400);
    const dup = await t.fetch('POST', '/v1.0/$batch', { body: { requests: [get('a'), get('A')] } });
    assert.equal(dup.status, 400);
    assert.equal(dup.body.error?.message, 'Request Id A has to be unique in a batch.');
    const noHeaders = await t.fetch('POST', '/v1.0/$batch', {
      body: { requests: [{ id: '1', method: 'POST', url: '/users', body: newUserBody(t.domain, 'y') }] },
    });
    assert.equal(noHeaders.status, 400);
    const absolute = await t.fetch('POST', '/v1.0/$batch', {
      body: { requests: [{ id: '1', method: 'GET', url: 'https://graph.microsoft.com/v1.0/users' }] },
    });
    assert.equal(absolute.status, 400);
    assert.equal(t.tenant.users.size, 1, 'nothing ran');
  });

  it("the Graph SDK's BatchRequestContent (version-prefixed URLs, dependsOn) works end to end", async () => {
    const t = addTenant(emulator, tenantSeed());
    const base = `${emulator.context.endpoints.graph}/v1.0`;
    const content = await new BatchRequestContent([
      {
        id: '1',
        request: new Request(`${base}/users`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(newUserBody(t.domain, 'sdkbatch')),
        }),
      },
      { id: '2', request: new Request(`${base}/users?$select=id`, { method: 'GET' }), dependsOn: ['1'] },
    ]).getContent();
    const parsed = new BatchResponseContent(await t.client().api('/$batch').post(content));
    assert.equal(parsed.getResponseById('1').status, 201);
    assert.equal(parsed.getResponseById('2').status, 200);
  });
});
