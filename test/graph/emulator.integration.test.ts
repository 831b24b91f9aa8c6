// The Graph client against the emulator (started by `npm test`): $batch coalescing, members@odata.bind, typed
// errors and idempotent membership, through the official SDK and @azure/identity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cloudEndpoints } from '../../shared/clouds/endpoints';
import { ClientSecretConnectionCredentials } from '../../shared/engine/adapters/clientSecretConnections';
import { createGraphDirectory } from '../../shared/graph/index';
import { testStack } from '../support/stack';

async function directory() {
  const stack = testStack();
  const demo = stack.emulator.demo!;
  const creds = new ClientSecretConnectionCredentials(
    cloudEndpoints('global', stack.appSettings),
    [{ id: 'demo', tenantId: demo.tenantId, clientId: demo.clientId, clientSecret: demo.clientSecret! }],
    true,
  );
  return {
    dir: createGraphDirectory(await creds.forConnection('demo'), { batching: true }),
    admin: stack.emulator.admin,
  };
}

async function requests(admin: string, since: number) {
  const body = (await (await fetch(`${admin}/requests?service=graph&since=${since}`)).json()) as {
    lastSeq: number;
    value: { method: string; path: string; detail?: string; status: number }[];
  };
  return body;
}

test('concurrent writes go out as $batch; additions to one group as one members@odata.bind', async () => {
  const { dir, admin } = await directory();
  const tag = randomUUID().slice(0, 8);
  const before = (await requests(admin, 999_999_999)).lastSeq;
  const created = await Promise.all(
    [1, 2, 3].map((n) =>
      dir.createUser(
        {
          attributes: {
            displayName: `Bind ${n}`,
            userPrincipalName: `bind${n}.${tag}@contoso.test`,
            mailNickname: `bind${n}${tag}`,
          },
          accountEnabled: false,
          password: 'Initial-Pass-123!',
        },
        `B${tag}${n}`,
      ),
    ),
  );
  const creates = (await requests(admin, before)).value;
  assert.equal(
    creates.filter((e) => e.method === 'POST' && e.path.endsWith('/$batch')).length,
    1,
    'one $batch',
  );
  assert.equal(
    creates.filter((e) => e.method === 'POST' && e.path.endsWith('/users')).length,
    3,
    'three creates inside it',
  );
  const group = (await dir.resolveGroup('Finance'))!;
  const start = (await requests(admin, 999_999_999)).lastSeq;
  await Promise.all(created.map((u) => dir.addGroupMember(group, u.id)));
  const log = (await requests(admin, start)).value;
  const binds = log.filter((e) => e.method === 'PATCH' && e.path.endsWith(`/groups/${group}`));
  assert.equal(binds.length, 1, JSON.stringify(log));
  assert.deepEqual((await dir.listGroupIds(created[0].id)).includes(group), true);
  // Idempotent: adding again and removing twice are successes.
  await dir.addGroupMember(group, created[1].id);
  await dir.removeGroupMember(group, created[2].id);
  await dir.removeGroupMember(group, created[2].id);
  await assert.rejects(
    dir.createUser(
      {
        attributes: {
          displayName: 'Dup',
          userPrincipalName: `bind1.${tag}@contoso.test`,
          mailNickname: `dup${tag}`,
        },
        accountEnabled: false,
        password: 'Initial-Pass-123!',
      },
      `X${tag}`,
    ),
    (e: { code?: string; details?: { target?: string } }) =>
      e.code === 'TENURE_GRAPH_CONFLICT' && e.details?.target === 'userPrincipalName',
  );
});

test('a licence without usage location and an unknown group are typed', async () => {
  const { dir } = await directory();
  const tag = randomUUID().slice(0, 8);
  const u = await dir.createUser(
    {
      attributes: {
        displayName: 'Lic',
        userPrincipalName: `lic.${tag}@contoso.test`,
        mailNickname: `lic${tag}`,
      },
      accountEnabled: false,
      password: 'Initial-Pass-123!',
    },
    `L${tag}`,
  );
  const sku = (await dir.resolveSku('SPE_E3'))!;
  await assert.rejects(
    dir.assignLicenses(u.id, [sku], []),
    (e: { code?: string }) => e.code === 'TENURE_LICENSE_USAGE_LOCATION',
  );
  assert.equal(await dir.resolveGroup('No Such Group'), null);
  assert.equal(await dir.resolveSku('NO_SUCH_SKU'), null);
  await dir.deleteUser(u.id);
  await dir.deleteUser(u.id);
});
