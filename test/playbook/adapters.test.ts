// Pure parts of the Graph-side adapters: OneDrive root grants, Plan 2 SKUs from licenseDetails, and the desired
// playbook's display-name override and recipients.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudEndpoints } from '../../shared/clouds/endpoints';
import { ClientSecretConnectionCredentials } from '../../shared/engine/adapters/clientSecretConnections';
import { plan2SkuIds } from '../../shared/exchange/licencePlans';
import { createPlaybookPorts, invokeUrlOf } from '../../shared/exchange/playbookPorts';
import { GraphExecutor } from '../../shared/graph/executor';
import { GraphOneDrive, buildDriveRequest, parseGrants } from '../../shared/onedrive/drives';
import { desiredPlaybook, withPlaybook } from '../../shared/playbook/desired';
import { parseStep } from '../../shared/playbook/steps';
import { NOW, desired } from '../engine/fixtures';
import { playbookFlow } from './flow';

describe('OneDrive', () => {
  it('reads grants other than the owner, by e-mail and user id', () => {
    const grants = parseGrants({
      status: 200,
      headers: {},
      body: {
        value: [
          { id: 'o', roles: ['owner'], grantedToV2: { user: { id: 'u-1', email: 'ada@x.test' } } },
          { id: 'p1', roles: ['write'], grantedToV2: { user: { id: 'u-m1', email: 'Grace@X.test' } } },
          { id: 'p2', roles: ['read'], invitation: { email: 'ext@x.test' } },
        ],
      },
    });
    assert.deepEqual(grants, [
      { permissionId: 'p1', roles: ['write'], email: 'grace@x.test', userId: 'u-m1' },
      { permissionId: 'p2', roles: ['read'], email: 'ext@x.test' },
    ]);
  });

  it('invites on the root without sending an e-mail', () => {
    assert.deepEqual(buildDriveRequest.invite('b!1', ['grace@x.test'], 'write'), {
      method: 'POST',
      url: '/drives/b!1/root/invite',
      body: {
        recipients: [{ email: 'grace@x.test' }],
        roles: ['write'],
        requireSignIn: true,
        sendInvitation: false,
      },
    });
  });
});

describe('OneDrive revocation', () => {
  it('flags inherited grants so they are never revoked', () => {
    const grants = parseGrants({
      status: 200,
      headers: {},
      body: {
        value: [
          { id: 'p1', roles: ['write'], grantedToV2: { user: { id: 'u-m1' } }, inheritedFrom: null },
          { id: 'p2', roles: ['read'], grantedToV2: { user: { id: 'u-m1' } }, inheritedFrom: { id: 'x' } },
        ],
      },
    });
    assert.deepEqual(grants, [
      { permissionId: 'p1', roles: ['write'], userId: 'u-m1' },
      { permissionId: 'p2', roles: ['read'], inherited: true, userId: 'u-m1' },
    ]);
  });

  it('deletes one root permission (204), a permission already gone being success', async () => {
    assert.deepEqual(buildDriveRequest.removePermission('b!1', 'aTow#1'), {
      method: 'DELETE',
      url: '/drives/b!1/items/root/permissions/aTow%231',
    });
    const answers = [204, 404, 403];
    const sent: string[] = [];
    const drives = new GraphOneDrive(
      new GraphExecutor(
        {
          send: async (r) => {
            sent.push(`${r.method} ${r.url}`);
            const status = answers.shift()!;
            return status === 403
              ? { status, headers: {}, body: { error: { code: 'accessDenied', message: 'Access denied.' } } }
              : { status, headers: {}, body: undefined };
          },
        },
        { sleep: async () => undefined },
      ),
    );
    await drives.removeRootGrant('b!1', 'p1');
    await drives.removeRootGrant('b!1', 'p1');
    await assert.rejects(drives.removeRootGrant('b!1', 'p1'), (e: { code?: string }) =>
      /^TENURE_GRAPH_/.test(e.code ?? ''),
    );
    assert.deepEqual(sent, Array(3).fill('DELETE /drives/b!1/items/root/permissions/p1'));
  });

  it('parses revokeOnReturn like grantMailboxAccess does (default false, booleans only)', () => {
    assert.deepEqual(parseStep('shareOneDrive', {}), {
      kind: 'shareOneDrive',
      to: ['manager'],
      role: 'write',
      revokeOnReturn: false,
    });
    const s = parseStep('shareOneDrive', { revokeOnReturn: true, role: 'Read' });
    assert.equal(s.kind === 'shareOneDrive' && s.revokeOnReturn, true);
    assert.throws(
      () => parseStep('shareOneDrive', { revokeOnReturn: 'yes' }),
      (e: { code?: string; details?: { target?: string } }) =>
        e.code === 'TENURE_MAPPING' && e.details?.target === 'shareOneDrive.revokeOnReturn',
    );
  });
});

describe('licence plans', () => {
  it('finds the SKUs with enabled Exchange Online Plan 2 or archiving plans', () => {
    const ids = plan2SkuIds({
      status: 200,
      headers: {},
      body: {
        value: [
          {
            skuId: 'e3',
            servicePlans: [{ servicePlanName: 'EXCHANGE_S_ENTERPRISE', provisioningStatus: 'Success' }],
          },
          {
            skuId: 'p1',
            servicePlans: [{ servicePlanName: 'EXCHANGE_S_STANDARD', provisioningStatus: 'Success' }],
          },
          {
            skuId: 'off',
            servicePlans: [{ servicePlanName: 'EXCHANGE_S_ENTERPRISE', provisioningStatus: 'Disabled' }],
          },
          { skuId: 'eoa', servicePlans: [{ servicePlanName: 'EXCHANGE_S_ARCHIVE_ADDON' }] },
        ],
      },
    });
    assert.deepEqual(ids, ['e3', 'eoa']);
  });
});

describe('desired playbook details', () => {
  it('turns setDisplayName into an attribute override instead of a mailbox step', () => {
    const flow = playbookFlow();
    const withName = {
      ...flow,
      stages: {
        ...flow.stages,
        termination: {
          ...flow.stages.termination,
          playbook: [
            ...flow.stages.termination.playbook,
            {
              step: 'setDisplayName',
              with: { value: { kind: 'literal' as const, value: 'Ada Lovelace (left)' } },
            },
          ],
        },
      },
    };
    const d = desiredPlaybook({
      flow: withName,
      record: { First: 'Ada', Last: 'Lovelace', Dept: 'Sales' },
      decision: { phase: 'terminated' },
      now: NOW,
      random: () => 0,
    });
    assert.deepEqual(d.attributes, { displayName: 'Ada Lovelace (left)' });
    assert.equal(
      d.playbook?.steps.some((s) => s.kind === 'setDisplayName'),
      false,
    );
    const joined = withPlaybook(desired(), d);
    assert.equal(joined.attributes.displayName, 'Ada Lovelace (left)');
    assert.equal(joined.playbook?.mode, 'leaver');
  });

  it('parses recipient lists from a list or a separated string, and refuses non-addresses', () => {
    const s = parseStep('grantMailboxAccess', { to: 'manager; Boss@X.test' });
    assert.deepEqual(s.kind === 'grantMailboxAccess' && s.to, ['manager', { address: 'boss@x.test' }]);
    assert.throws(
      () => parseStep('shareOneDrive', { to: ['not-an-address'] }),
      (e: { code?: string }) => e.code === 'TENURE_MAPPING',
    );
    assert.throws(
      () => parseStep('setAutoReply', {}),
      (e: { code?: string }) => e.code === 'TENURE_MAPPING',
    );
    assert.throws(
      () => parseStep('litigationHold', { durationDays: -1 }),
      (e: { code?: string }) => e.code === 'TENURE_MAPPING',
    );
  });
});

describe('demo connections with the exchange add-on', () => {
  it('give the playbook an Exchange endpoint, scope and credential', async () => {
    const endpoints = cloudEndpoints('usgov');
    const creds = new ClientSecretConnectionCredentials(
      endpoints,
      [
        { id: 'a', tenantId: 't', clientId: 'c', clientSecret: 's', exchange: true },
        { id: 'b', tenantId: 't', clientId: 'c', clientSecret: 's' },
      ],
      true,
    );
    const a = await creds.forConnection('a');
    assert.equal(a.exchange?.baseUrl, 'https://outlook.office365.us');
    assert.equal(a.exchange?.scope, 'https://outlook.office365.us/.default');
    assert.equal(a.exchange?.credential, a.credential);
    assert.equal((await creds.forConnection('b')).exchange, undefined);
    const ports = createPlaybookPorts(a);
    assert.ok(ports.mailboxes && ports.oneDrive && ports.licencePlans);
    assert.equal(createPlaybookPorts(await creds.forConnection('b')).mailboxes, undefined);
    assert.equal(
      invokeUrlOf('https://outlook.office365.us/', 't 1'),
      'https://outlook.office365.us/adminapi/beta/t%201/InvokeCommand',
    );
  });
});
