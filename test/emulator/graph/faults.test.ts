// Fault injection (emulator/docs/graph.md): latency, 503/504 with Retry-After (https://learn.microsoft.com/graph/errors:
// 503 "may be specified in a Retry-After header", 504 "may occur together with 503"), replication lag (Graph's
// eventual consistency: a new object is missing from $filter results, not from GET by id), admin endpoints.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SEED } from '../../../emulator/src/emulator';
import { addTenant, graphFailure, newUserBody, startEmulator, tenantSeed } from './helpers';

describe('Graph fault injection', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: string;
  before(async () => {
    emulator = await startEmulator();
    admin = emulator.context.endpoints.admin;
  });
  after(async () => emulator.close());

  const putFaults = (tenantId: string, faults: unknown) =>
    fetch(`${admin}/graph/tenants/${tenantId}/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(faults),
    });

  it('replication lag: a new user is missing from $filter and list results, not from GET by id, until the lag passes', async () => {
    const t = addTenant(emulator, tenantSeed({ faults: { replicationLagMs: 5_000 } }));
    const u = await t.client().api('/users').post(newUserBody(t.domain, 'lagged'));
    assert.equal((await t.client().api(`/users/${u.id}`).get()).id, u.id);
    const filter = `userPrincipalName eq 'lagged@${t.domain}'`;
    assert.equal((await t.client().api('/users').filter(filter).get()).value.length, 0);
    assert.ok(!(await t.client().api('/users').get()).value.some((x: { id: string }) => x.id === u.id));
    emulator.context.state.clock.advance(5_000);
    assert.equal((await t.client().api('/users').filter(filter).get()).value.length, 1);
    // A change hides the object again for the lag.
    await t.client().api(`/users/${u.id}`).patch({ jobTitle: 'Changed' });
    assert.equal((await t.client().api('/users').filter(filter).get()).value.length, 0);
  });

  it('errorRate 1 with 503 → every call answers 503 serviceNotAvailable with Retry-After', async () => {
    const t = addTenant(emulator, tenantSeed());
    assert.equal(
      (await putFaults(t.tenant.id, { errorRate: 1, errorStatuses: [503], errorRetryAfterSeconds: 7 }))
        .status,
      200,
    );
    const since = emulator.context.state.log.lastSeq;
    const res = await t.fetch('GET', '/v1.0/organization');
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '7');
    // The request log keeps the Retry-After it sent (tests check a client's wait against it), inside $batch too.
    await t.fetch('POST', '/v1.0/$batch', {
      body: { requests: [{ id: '1', method: 'GET', url: '/organization' }] },
    });
    const log = (await (await fetch(`${admin}/requests?since=${since}&service=graph`)).json()) as {
      value: { path: string; status: number; detail?: string; retryAfter?: string }[];
    };
    assert.deepEqual(
      log.value.map((e) => [e.path, e.detail, e.status, e.retryAfter]),
      [
        ['/v1.0/organization', undefined, 503, '7'],
        ['/v1.0/organization', '$batch 1', 503, '7'],
        ['/v1.0/$batch', undefined, 200, undefined],
      ],
    );
    assert.equal(res.body.error?.code, 'serviceNotAvailable');
    const e = await graphFailure(() => t.client({ retries: false }).api('/organization').get());
    assert.equal(e.statusCode, 503);
    await fetch(`${admin}/graph/tenants/${t.tenant.id}/faults`, { method: 'DELETE' });
    assert.equal((await t.fetch('GET', '/v1.0/organization')).status, 200);
  });

  it('a seeded error rate is reproducible, and the SDK RetryHandler rides through it honouring Retry-After', async () => {
    const faults = { errorRate: 0.5, errorRetryAfterSeconds: 0.01, randomSeed: 42 };
    const a = addTenant(emulator, tenantSeed({ faults }));
    const b = addTenant(emulator, tenantSeed({ faults }));
    const statuses = async (t: typeof a): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await t.fetch('GET', '/v1.0/organization')).status);
      return out;
    };
    const sa = await statuses(a);
    assert.deepEqual(sa, await statuses(b));
    assert.ok(sa.some((s) => s === 503 || s === 504) && sa.some((s) => s === 200));
    const org = await a.client().api('/organization').get();
    assert.equal(org.value[0].id, a.tenant.id);
  });

  it('fixed latency is added before the answer', async () => {
    const t = addTenant(emulator, tenantSeed({ faults: { latency: { fixedMs: 150 } } }));
    const since = emulator.context.state.log.lastSeq;
    await t.fetch('GET', '/v1.0/organization');
    const entry = emulator.context.state.log.since(since).find((e) => e.path === '/v1.0/organization')!;
    assert.ok(entry.durationMs >= 150, `durationMs ${entry.durationMs}`);
  });

  it('admin endpoints validate input and report settings', async () => {
    const t = addTenant(emulator, tenantSeed());
    assert.equal((await putFaults(t.tenant.id, { errorRate: 2 })).status, 400);
    assert.equal(
      (await putFaults(t.tenant.id, { latency: { distribution: 'normal', meanMs: 5, stddevMs: 1 } })).status,
      200,
    );
    const got = (await (await fetch(`${admin}/graph/tenants/${t.tenant.id}/faults`)).json()) as {
      latency: unknown;
    };
    assert.deepEqual(got.latency, { distribution: 'normal', meanMs: 5, stddevMs: 1 });
    const bad = await fetch(`${admin}/graph/settings`, {
      method: 'PUT',
      body: JSON.stringify({ timeScale: 0 }),
    });
    assert.equal(bad.status, 400);
    const ok = await fetch(`${admin}/graph/settings`, {
      method: 'PUT',
      body: JSON.stringify({ timeScale: 1 }),
    });
    assert.deepEqual(await ok.json(), { timeScale: 1, randomSeed: 1 });
  });

  it('timeScale, the random seed and per-tenant faults can be set in the seed file', async () => {
    const seed = JSON.parse(readFileSync(DEFAULT_SEED, 'utf8')) as {
      graph?: unknown;
      tenants: { displayName: string; graph?: unknown }[];
    };
    seed.graph = { timeScale: 60, randomSeed: 7 };
    seed.tenants[1]!.graph = { faults: { replicationLagMs: 1_000 } };
    const file = join(mkdtempSync(join(tmpdir(), 'graph-seed-')), 'seed.json');
    writeFileSync(file, JSON.stringify(seed));
    const seeded = await startEmulator({ seed: file });
    try {
      const settings = await (await fetch(`${seeded.context.endpoints.admin}/graph/settings`)).json();
      assert.deepEqual(settings, { timeScale: 60, randomSeed: 7 });
      const faults = await (
        await fetch(`${seeded.context.endpoints.admin}/graph/tenants/contoso.test/faults`)
      ).json();
      assert.deepEqual(faults, { replicationLagMs: 1_000 });
    } finally {
      await seeded.close();
    }
    seed.tenants[1]!.graph = { faults: { errorRate: 5 } };
    writeFileSync(file, JSON.stringify(seed));
    await assert.rejects(startEmulator({ seed: file }), /errorRate/);
  });
});
