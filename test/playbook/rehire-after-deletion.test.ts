// Rehire after deletion, end to end (engine against the emulator, through the message handler): a leaver whose
// playbook handed the mailbox and OneDrive to the manager is deleted after `delete.afterDays`, then rehired within
// Entra's 30-day restore window. The account is restored (same object id), enabled and licensed, the mailbox is a
// user mailbox again with auto-reply and forwarding off and shown in the lists, and — the flow says
// `revokeOnReturn` — the manager's Full Access, Send As and OneDrive grant are removed, the owner's permission
// and other people's grants untouched. A second run writes nothing.
// Run with `npm test -- dist/test/playbook` (the harness sets NODE_EXTRA_CA_CERTS for the emulator's CA).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Loose } from '../emulator/exchange/helpers';
import {
  admin,
  lastSeq,
  leaverWorld,
  requests,
  startLeaverCloud,
  userByEmployeeId,
  type LeaverCloud,
  writesOf,
} from './support/world';

let cloud: LeaverCloud;
before(async () => {
  cloud = await startLeaverCloud();
});
after(async () => {
  await cloud.close();
});

const ada = (over: Record<string, string>) => ({
  Id: 'E1',
  First: 'Ada',
  Last: 'Lovelace',
  Status: 'Active',
  Dept: 'Sales',
  Country: 'DE',
  Start: '2025-01-06',
  Manager: 'M1',
  ...over,
});

interface DrivePermission {
  id: string;
  grantedTo: string;
  roles: string[];
}

async function mailbox(userId: string): Promise<Loose> {
  const all = (await admin(cloud, `/exchange/${cloud.tenant.id}/mailboxes`)).value as unknown as Loose[];
  return all.find((m) => m.userId === (userId as unknown as Loose))!;
}

function drive(userId: string): { permissions: DrivePermission[] } {
  const d = [...cloud.tenant.drives.values()].find((x) => x.userId === userId);
  assert.ok(d, 'the OneDrive is kept with the deleted account');
  return d as unknown as { permissions: DrivePermission[] };
}

describe('rehire after deletion (revokeOnReturn)', () => {
  let w: ReturnType<typeof leaverWorld>;
  let id: string;
  before(() => {
    w = leaverWorld(cloud, 'leaver', { revokeOnReturn: true });
  });

  it('leaves: shared mailbox, the manager has Full Access, Send As and the OneDrive', async () => {
    const out = await w.send(ada({ Status: 'Terminated', LastDay: '2026-03-09' }), '1');
    assert.equal(out.status, 'applied', JSON.stringify(out));
    const user = userByEmployeeId(cloud, 'E1');
    id = user.id;
    const grace = userByEmployeeId(cloud, 'M1');
    const mb = await mailbox(id);
    assert.equal(mb.recipientTypeDetails, 'SharedMailbox' as unknown as Loose);
    assert.deepEqual(mb.sendAs, [grace.id] as unknown as Loose);
    assert.ok(drive(id).permissions.some((p) => p.grantedTo === grace.id && p.roles.includes('write')));
    assert.deepEqual(user.assignedLicenses, []);
  });

  it('is deleted after delete.afterDays (soft-deleted: restorable for 30 days)', async () => {
    // Someone else was given the OneDrive by hand while Ada was away: Tenure must leave that grant alone.
    const bob = userByEmployeeId(cloud, 'E4');
    drive(id).permissions.push({ id: 'manual-grant', grantedTo: bob.id, roles: ['read'] });
    w.clock.current = new Date('2026-04-10T12:00:00Z');
    const out = await w.send(ada({ Status: 'Terminated', LastDay: '2026-03-09' }), '1');
    assert.equal(out.status, 'applied', JSON.stringify(out));
    assert.equal(
      [...cloud.tenant.users.values()].some((u) => u.id === id),
      false,
    );
    assert.ok(cloud.tenant.deletedItems.has(id), 'in deleted items');
  });

  it('is rehired within the restore window: restored, undone, access taken back', async () => {
    w.clock.current = new Date('2026-04-20T08:00:00Z');
    const since = lastSeq(cloud);
    const out = await w.send(ada({ Start: '2026-04-20' }), '2');
    assert.equal(out.status, 'applied', JSON.stringify(out));
    if (out.status === 'applied') {
      const failed = out.results.filter((r) => r.status === 'failed' || r.status === 'notRun');
      assert.deepEqual(failed, []);
    }
    const user = userByEmployeeId(cloud, 'E1');
    assert.equal(user.id, id, 'the same account, restored');
    assert.equal(cloud.tenant.deletedItems.has(id), false);
    assert.equal(user.properties.accountEnabled, true);
    assert.equal(user.assignedLicenses.length, 1);
    const groups = [...cloud.tenant.groups.values()]
      .filter((g) => g.memberIds.has(id))
      .map((g) => String(g.properties.displayName));
    assert.deepEqual(groups.sort(), ['All Staff', 'Sales']);

    const grace = userByEmployeeId(cloud, 'M1');
    const mb = await mailbox(id);
    assert.equal(mb.recipientTypeDetails, 'UserMailbox' as unknown as Loose);
    assert.equal(mb.autoReply?.AutoReplyState, 'Disabled' as unknown as Loose);
    assert.equal(mb.properties?.ForwardingSmtpAddress ?? null, null);
    assert.equal(mb.properties?.HiddenFromAddressListsEnabled, false as unknown as Loose);
    assert.equal(
      JSON.stringify(mb.mailboxPermissions ?? []).includes(grace.id),
      false,
      'Full Access revoked',
    );
    assert.deepEqual(mb.sendAs, [] as unknown as Loose, 'Send As revoked');
    const perms = drive(id).permissions;
    assert.equal(
      perms.some((p) => p.grantedTo === grace.id),
      false,
      'OneDrive grant revoked',
    );
    assert.ok(
      perms.some((p) => p.id === 'manual-grant'),
      "another person's grant stays",
    );
    assert.equal(mb.licenseViolation, false as unknown as Loose);

    const writes = writesOf(await requests(cloud, since));
    assert.ok(writes.includes('POST restore'), writes.join(', '));
    // Found at apply time (nothing could be read before the restore): one DELETE, the manager's grant.
    assert.equal(writes.filter((x) => x === 'DELETE permissions').length, 1);
    assert.ok(writes.includes('Remove-MailboxPermission'));
    assert.ok(writes.includes('Remove-RecipientPermission'));
    // The licence comes back before the mailbox is a user mailbox again, which is last.
    assert.ok(writes.indexOf('POST assignLicense') < writes.lastIndexOf('Set-Mailbox'));
    assert.equal(writes.at(-1), 'Set-Mailbox');
  });

  it('a second run writes nothing', async () => {
    const since = lastSeq(cloud);
    const out = await w.send(ada({ Start: '2026-04-20' }), '2');
    assert.ok(out.status === 'noChange' || out.status === 'applied', JSON.stringify(out));
    assert.deepEqual(writesOf(await requests(cloud, since)), []);
  });
});

describe('rehire before deletion (revokeOnReturn)', () => {
  it('revokes the observed OneDrive grant and mailbox access; a second run writes nothing', async () => {
    const w = leaverWorld(cloud, 'leaver', { revokeOnReturn: true });
    const nora = (over: Record<string, string>) => ({
      ...ada(over),
      Id: 'E3',
      First: 'Nora',
      Last: 'Noperm',
    });
    const left = await w.send(nora({ Status: 'Terminated', LastDay: '2026-03-09' }), '1');
    assert.equal(left.status, 'applied', JSON.stringify(left));
    const id = userByEmployeeId(cloud, 'E3').id;
    const grace = userByEmployeeId(cloud, 'M1');
    assert.ok(drive(id).permissions.some((p) => p.grantedTo === grace.id));

    w.clock.current = new Date('2026-03-20T08:00:00Z');
    const since = lastSeq(cloud);
    const back = await w.send(nora({}), '2');
    assert.equal(back.status, 'applied', JSON.stringify(back));
    if (back.status === 'applied') {
      const revoke = back.plan.operations.find((o) => o.kind === 'revokeOneDriveShare');
      assert.ok(revoke, 'planned from the observed grants');
      assert.equal((revoke.params as { permissionIds: readonly string[] }).permissionIds.length, 1);
    }
    assert.equal(
      drive(id).permissions.some((p) => p.grantedTo === grace.id),
      false,
    );
    const mb = await mailbox(id);
    assert.equal(mb.recipientTypeDetails, 'UserMailbox' as unknown as Loose);
    assert.deepEqual(mb.sendAs, [] as unknown as Loose);
    const writes = writesOf(await requests(cloud, since));
    assert.equal(writes.at(-1), 'Set-Mailbox', 'the mailbox goes back to a user mailbox last');

    const again = lastSeq(cloud);
    await w.send(nora({}), '2');
    assert.deepEqual(writesOf(await requests(cloud, again)), []);
  });
});

describe('rehire after deletion (access kept, the default)', () => {
  it('restores the account and undoes the mailbox steps; the hand-over stays', async () => {
    const w = leaverWorld(cloud);
    const tom = (over: Record<string, string>) => ({
      ...ada(over),
      Id: 'E4',
      First: 'Tom',
      Last: 'Throttled',
    });
    assert.equal((await w.send(tom({ Status: 'Terminated', LastDay: '2026-03-09' }), '1')).status, 'applied');
    const id = userByEmployeeId(cloud, 'E4').id;
    w.clock.current = new Date('2026-04-10T12:00:00Z');
    assert.equal((await w.send(tom({ Status: 'Terminated', LastDay: '2026-03-09' }), '1')).status, 'applied');
    assert.ok(cloud.tenant.deletedItems.has(id));
    w.clock.current = new Date('2026-05-01T08:00:00Z');
    const out = await w.send(tom({ Start: '2026-05-01' }), '2');
    assert.equal(out.status, 'applied', JSON.stringify(out));
    const user = userByEmployeeId(cloud, 'E4');
    assert.equal(user.id, id);
    assert.equal(user.properties.accountEnabled, true);
    assert.equal(user.assignedLicenses.length, 1);
    const mb = await mailbox(id);
    assert.equal(mb.recipientTypeDetails, 'UserMailbox' as unknown as Loose);
    assert.equal(mb.autoReply?.AutoReplyState, 'Disabled' as unknown as Loose);
    assert.equal(mb.properties?.ForwardingSmtpAddress ?? null, null);
    assert.equal(mb.properties?.HiddenFromAddressListsEnabled, false as unknown as Loose);
    assert.deepEqual(mb.sendAs, [userByEmployeeId(cloud, 'M1').id] as unknown as Loose, 'Send As kept');
    const again = lastSeq(cloud);
    await w.send(tom({ Start: '2026-05-01' }), '2');
    assert.deepEqual(writesOf(await requests(cloud, again)), []);
  });
});
