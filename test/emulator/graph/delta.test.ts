// Conformance: user delta query (https://learn.microsoft.com/graph/api/user-delta,
// https://learn.microsoft.com/graph/delta-query-overview; graph-spec.md §2.5).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addTenant, newUserBody, startEmulator, tenantSeed, type TestTenant } from './helpers';

interface DeltaPage {
  value: ({ id: string; '@removed'?: { reason: string } } & Record<string, unknown>)[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

async function round(
  t: TestTenant,
  start: string,
): Promise<{ items: DeltaPage['value']; deltaLink: string; pages: number }> {
  const items: DeltaPage['value'] = [];
  let url: string | undefined = start;
  let pages = 0;
  for (;;) {
    const page = (await t.client().api(url!).header('Prefer', 'odata.maxpagesize=2').get()) as DeltaPage;
    pages++;
    items.push(...page.value);
    if (page['@odata.deltaLink']) return { items, deltaLink: page['@odata.deltaLink'], pages };
    url = page['@odata.nextLink'];
    assert.ok(url, 'a page has either a nextLink or a deltaLink');
  }
}

describe('Graph users delta (conformance)', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  it('initial round pages to a deltaLink; later rounds return changes and @removed (changed, then deleted)', async () => {
    const t = addTenant(emulator, tenantSeed({ users: [] }));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (
          await t
            .client()
            .api('/users')
            .post(newUserBody(t.domain, `d${i}`))
        ).id,
      );
    emulator.context.state.clock.advance(10);
    const first = await round(t, '/users/delta?$select=displayName,jobTitle');
    assert.deepEqual(first.items.map((u) => u.id).sort(), [...ids].sort());
    assert.equal(first.pages, 2);
    assert.deepEqual(Object.keys(first.items[0]!).sort(), ['displayName', 'id', 'jobTitle']);

    await t.client().api(`/users/${ids[0]}`).patch({ jobTitle: 'Changed' });
    await t.client().api(`/users/${ids[1]}`).delete();
    const added = (await t.client().api('/users').post(newUserBody(t.domain, 'd3'))).id as string;
    emulator.context.state.clock.advance(10);
    const second = await round(t, first.deltaLink);
    const byId = new Map(second.items.map((u) => [u.id, u]));
    assert.equal(byId.size, 3);
    assert.equal(byId.get(ids[0]!)!.jobTitle, 'Changed');
    assert.ok(byId.has(added));
    assert.deepEqual(byId.get(ids[1]!)!['@removed'], { reason: 'changed' });

    await t.client().api(`/directory/deletedItems/${ids[1]}`).delete();
    emulator.context.state.clock.advance(10);
    const third = await round(t, second.deltaLink);
    assert.deepEqual(third.items, [{ id: ids[1], '@removed': { reason: 'deleted' } }]);

    emulator.context.state.clock.advance(10);
    assert.deepEqual((await round(t, third.deltaLink)).items, [], 'nothing changed');
  });

  it('$filter supports only id eq … or … (user-delta)', async () => {
    const t = addTenant(emulator, tenantSeed({ users: [] }));
    const a = (await t.client().api('/users').post(newUserBody(t.domain, 'fa'))).id as string;
    await t.client().api('/users').post(newUserBody(t.domain, 'fb'));
    emulator.context.state.clock.advance(10);
    const res = await round(t, `/users/delta?$filter=id eq '${a}'`);
    assert.deepEqual(
      res.items.map((u) => u.id),
      [a],
    );
    const bad = await t.fetch('GET', `/v1.0/users/delta?$filter=${encodeURIComponent("displayName eq 'x'")}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.code, 'Request_UnsupportedQuery');
  });
});
