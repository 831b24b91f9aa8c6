// What a connection's flows add to its needs: mapping employeeLeaveDateTime needs User-LifeCycleInfo.ReadWrite.All.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AccessToken } from '@azure/core-auth';
import { cloudEndpoints } from '../../shared/clouds/endpoints';
import { deployedFlows, flowPermissions } from '../../shared/connections/flowRequirements';
import { DIRECTORY_ROLES } from '../../shared/connections/requirements';
import { checkAppOnlyLink } from '../../shared/connections/verify';
import { APP_ROOT } from '../../devhost/loadApp';

const BASE = [
  'User.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.ReadWrite.All',
  'User.EnableDisableAccount.All',
];

function tokenWith(claims: Record<string, unknown>): AccessToken {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return {
    token: `${part({ alg: 'none' })}.${part(claims)}.sig`,
    expiresOnTimestamp: Date.now() + 3_600_000,
  };
}

test('flowPermissions: only the flows on this connection, only gated attributes, each flow named', () => {
  const flows = [
    { name: 'b', connection: 'c1', attributes: { employeeLeaveDateTime: 'x', department: 'y' } },
    { name: 'a', connection: 'c1', attributes: { employeeLeaveDateTime: 'x' } },
    { name: 'z', connection: 'c2', attributes: { employeeLeaveDateTime: 'x' } },
    { name: 'd', connection: 'c1', attributes: { employeeHireDate: 'x' } },
  ];
  assert.deepEqual(flowPermissions(flows, 'c1'), [
    {
      resource: 'graph',
      name: 'User-LifeCycleInfo.ReadWrite.All',
      neededBy: ['flow b maps employeeLeaveDateTime', 'flow a maps employeeLeaveDateTime'],
    },
  ]);
  assert.deepEqual(flowPermissions(flows, 'c3'), []);
});

test("deployedFlows reads the flows folder: the example Workday flow maps the leave date on 'demo'", () => {
  const flows = deployedFlows({ TENURE_FLOWS_DIR: 'flows' }, APP_ROOT);
  assert.ok(flows.some((f) => f.name && f.connection === 'demo'));
  assert.equal(flowPermissions(flows, 'demo')[0]?.name, 'User-LifeCycleInfo.ReadWrite.All');
  assert.deepEqual(deployedFlows({ TENURE_FLOWS_DIR: join(APP_ROOT, 'no-such-folder') }, APP_ROOT), []);
});

test('link check: a flow-required permission missing from the token is named; granted, the link is complete', async () => {
  const input = {
    endpoints: cloudEndpoints('global'),
    clientId: 'c3d4e5f6-0003-4000-8000-000000000001',
    addOns: [] as const,
    readDirectoryRoles: async () => [DIRECTORY_ROLES['User Administrator']],
    flowPermissions: flowPermissions(
      [{ name: 'hr', connection: 'c1', attributes: { employeeLeaveDateTime: 'x' } }],
      'c1',
    ),
  };
  const without = await checkAppOnlyLink({
    ...input,
    credential: { getToken: async () => tokenWith({ roles: BASE }) },
  });
  assert.equal(without.linked, false);
  assert.deepEqual(
    without.missing.map((m) => m.id),
    ['permission:graph:User-LifeCycleInfo.ReadWrite.All'],
  );
  assert.match(without.missing[0]!.name, /needed because flow hr maps employeeLeaveDateTime/);
  assert.match(without.missing[0]!.fix, /Application permissions → User-LifeCycleInfo\.ReadWrite\.All/);
  const withIt = await checkAppOnlyLink({
    ...input,
    credential: {
      getToken: async () => tokenWith({ roles: [...BASE, 'User-LifeCycleInfo.ReadWrite.All'] }),
    },
  });
  assert.equal(withIt.linked, true);
  // Without flow requirements nothing extra is asked for.
  const none = await checkAppOnlyLink({
    ...input,
    flowPermissions: [],
    credential: { getToken: async () => tokenWith({ roles: BASE }) },
  });
  assert.equal(none.linked, true);
});
