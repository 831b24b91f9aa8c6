// Leaver playbook scenarios against the emulator (Exchange admin API, OneDrive routes), driven through the engine's
// message handler: a leaver ends with a shared mailbox, manager access, auto-reply, forwarding, hidden from the
// lists, OneDrive shared with the manager and licences removed — in that order (the emulator's request log); with
// litigation hold the licence stays; a rehire within 30 days gets a user mailbox back; a connection without
// Exchange.ManageAsApp fails the Exchange steps with a clear reason while the Entra part applies.
// Run with `npm test -- dist/test/playbook` (the harness sets NODE_EXTRA_CA_CERTS for the emulator's CA).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { reconcile } from '../../shared/engine/reconcile';
import { httpsRequest, type Loose } from '../emulator/exchange/helpers';
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
const NOW = '2026-03-10T12:00:00.000Z';
before(async () => {
  cloud = await startLeaverCloud();
});
after(async () => {
  await cloud.close();
});

const record = (over: Record<string, string>) => ({
  Status: 'Active',
  Dept: 'Sales',
  Country: 'DE',
  Start: '2025-01-06',
  Manager: 'M1',
  ...over,
});
const leaver = (id: string, first: string, last: string, dept = 'Sales') =>
  record({ Id: id, First: first, Last: last, Dept: dept, Status: 'Terminated', LastDay: '2026-03-09' });

async function mailboxOf(employeeId: string): Promise<Loose> {
  const id = userByEmployeeId(cloud, employeeId).id;
  const all = (await admin(cloud, `/exchange/${cloud.tenant.id}/mailboxes`)).value as unknown as Loose[];
  return all.find((m) => m.userId === (id as unknown as Loose))!;
}

async function driveOf(employeeId: string): Promise<Loose> {
  const id = userByEmployeeId(cloud, employeeId).id;
  const all = (await admin(cloud, `/onedrive/${cloud.tenant.id}/drives`)).value as unknown as Loose[];
  return all.find(
    (d) => d.userId === (id as unknown as Loose) || d.owner?.user?.id === (id as unknown as Loose),
  )!;
}

describe('a leaver with a mailbox', () => {
  const world = () => w;
  let w: ReturnType<typeof leaverWorld>;
  before(() => {
    w = leaverWorld(cloud);
  });

  it('preview shows the playbook operations and writes nothing', async () => {
    const since = lastSeq(cloud);
    const rec = leaver('E1', 'Ada', 'Lovelace');
    const out = await reconcile(
      world().deps,
      { kind: 'snapshot', flow: 'hr', employeeId: 'E1', version: '1', record: rec, sentAt: NOW },
      { runId: 'preview-1', preview: true },
    );
    assert.equal(out.status, 'preview');
    if (out.status !== 'preview') return;
    const ids = out.plan.operations.map((o) => o.id);
    for (const id of [
      'setMailboxType',
      'setAutoReply',
      'setForwarding',
      'setAddressListVisibility',
      'shareOneDrive',
    ])
      assert.ok(ids.includes(id), `preview shows ${id}`);
    assert.ok(ids.indexOf('removeLicenses') > ids.indexOf('shareOneDrive'));
    assert.deepEqual(writesOf(await requests(cloud, since)), []);
    assert.equal(await world().deps.workers.get('hr', 'E1'), null);
  });

  it('ends shared, handed to the manager, hidden, OneDrive shared and unlicensed — in that order', async () => {
    const ada = userByEmployeeId(cloud, 'E1');
    // An alias the playbook removes (added the way an admin would, through the admin API).
    await (
      world().ports.mailboxes as unknown as { client: { invoke: (i: unknown) => Promise<unknown> } }
    ).client.invoke({
      cmdlet: 'Set-Mailbox',
      parameters: {
        Identity: ada.id,
        EmailAddresses: { '@odata.type': '#Exchange.GenericHashTable', Add: [`smtp:ada@${cloud.domain}`] },
      },
    });
    const since = lastSeq(cloud);
    const out = await world().send(leaver('E1', 'Ada', 'Lovelace'), '1');
    assert.equal(out.status, 'applied', JSON.stringify(out));

    const writes = writesOf(await requests(cloud, since));
    const exchangeAndAfter = writes.filter(
      (x) => !/^(PATCH users|POST revokeSignInSessions|DELETE \$ref)$/.test(x),
    );
    assert.deepEqual(exchangeAndAfter.slice(0, 1), ['Set-Mailbox']); // convert to shared
    assert.deepEqual(exchangeAndAfter.slice(1, 3).sort(), [
      'Add-MailboxPermission',
      'Add-RecipientPermission',
    ]);
    assert.deepEqual(exchangeAndAfter.slice(3), [
      'Set-MailboxAutoReplyConfiguration',
      'Set-Mailbox', // forwarding
      'Set-Mailbox', // hidden
      'Set-Mailbox', // aliases removed
      'POST invite',
      'POST assignLicense',
    ]);
    // The Entra part ran too.
    assert.ok(writes.includes('PATCH users'));
    assert.ok(writes.includes('POST revokeSignInSessions'));
    assert.equal(writes.filter((x) => x === 'DELETE $ref').length, 2, 'All Staff and Sales removed');

    const mb = await mailboxOf('E1');
    const grace = userByEmployeeId(cloud, 'M1');
    assert.equal(mb.recipientTypeDetails, 'SharedMailbox' as unknown as Loose);
    assert.equal(mb.properties?.HiddenFromAddressListsEnabled, true as unknown as Loose);
    assert.equal(mb.properties?.ForwardingSmtpAddress, `smtp:${grace.properties.mail}` as unknown as Loose);
    assert.equal(mb.properties?.DeliverToMailboxAndForward, true as unknown as Loose);
    assert.equal(mb.autoReply?.AutoReplyState, 'Enabled' as unknown as Loose);
    assert.match(String(mb.autoReply?.InternalMessage), /Ada Lovelace has left the company\./);
    assert.match(String(mb.autoReply?.ExternalMessage), /Ada Lovelace is no longer with Contoso\./);
    assert.ok(
      JSON.stringify(mb.mailboxPermissions).includes(grace.id) ||
        JSON.stringify(mb.mailboxPermissions).includes(String(grace.properties.userPrincipalName)),
    );
    assert.deepEqual(mb.sendAs, [grace.id] as unknown as Loose);
    assert.equal(
      JSON.stringify(mb.properties?.EmailAddresses ?? []).includes(`smtp:ada@${cloud.domain}`),
      false,
    );
    assert.equal(mb.licenseViolation, false as unknown as Loose);
    const drive = await driveOf('E1');
    const perms = drive.permissions as unknown as { grantedTo: string; roles: string[] }[];
    assert.ok(perms.some((p) => p.grantedTo === grace.id && p.roles.includes('write')));
    assert.equal(ada.properties.accountEnabled, false);
    assert.deepEqual(ada.assignedLicenses, []);
  });

  it('a second run of the same snapshot writes nothing', async () => {
    const since = lastSeq(cloud);
    const out = await world().send(leaver('E1', 'Ada', 'Lovelace'), '1');
    assert.ok(out.status === 'noChange' || out.status === 'applied', JSON.stringify(out));
    assert.deepEqual(writesOf(await requests(cloud, since)), []);
    // It did observe (Get-* only).
    const reads = (await requests(cloud, since, 'exchange')).map((e) => e.detail);
    assert.ok(reads.includes('Get-Mailbox'));
  });

  it('a rehire within 30 days gets a user mailbox back: auto-reply and forwarding off, shown in the lists', async () => {
    world().clock.current = new Date('2026-03-20T12:00:00Z');
    const since = lastSeq(cloud);
    const out = await world().send(record({ Id: 'E1', First: 'Ada', Last: 'Lovelace' }), '2');
    assert.equal(out.status, 'applied', JSON.stringify(out));
    const ada = userByEmployeeId(cloud, 'E1');
    assert.equal(ada.properties.accountEnabled, true);
    assert.equal(ada.assignedLicenses.length, 1);
    const mb = await mailboxOf('E1');
    assert.equal(mb.recipientTypeDetails, 'UserMailbox' as unknown as Loose);
    assert.equal(mb.autoReply?.AutoReplyState, 'Disabled' as unknown as Loose);
    assert.equal(mb.properties?.ForwardingSmtpAddress ?? null, null);
    assert.equal(mb.properties?.HiddenFromAddressListsEnabled, false as unknown as Loose);
    // The licence comes back before the mailbox becomes a user mailbox again; granted access stays.
    const writes = writesOf(await requests(cloud, since));
    const licence = writes.indexOf('POST assignLicense');
    assert.ok(licence >= 0);
    assert.equal(writes.at(-1), 'Set-Mailbox');
    assert.ok(licence < writes.length - 1);
    assert.equal(writes.includes('Remove-MailboxPermission'), false);
    // And again: nothing to do.
    const again = lastSeq(cloud);
    await world().send(record({ Id: 'E1', First: 'Ada', Last: 'Lovelace' }), '2');
    assert.deepEqual(writesOf(await requests(cloud, again)), []);
    // An active worker costs one Exchange read, not a full observation.
    const reads = (await requests(cloud, again, 'exchange')).filter((e) => e.detail).map((e) => e.detail);
    assert.deepEqual(reads, ['Get-Mailbox']);
  });
});

describe('a leaver on litigation hold', () => {
  it('keeps the licence the shared mailbox needs', async () => {
    const w = leaverWorld(cloud);
    const since = lastSeq(cloud);
    const out = await w.send(leaver('E2', 'Lin', 'Legal', 'Legal'), '1');
    assert.equal(out.status, 'applied', JSON.stringify(out));
    const mb = await mailboxOf('E2');
    assert.equal(mb.litigationHoldEnabled, true as unknown as Loose);
    assert.equal(mb.recipientTypeDetails, 'SharedMailbox' as unknown as Loose);
    assert.equal(mb.licenseViolation, false as unknown as Loose);
    const lin = userByEmployeeId(cloud, 'E2');
    assert.equal(lin.assignedLicenses.length, 1);
    assert.equal(lin.properties.accountEnabled, false);
    const writes = writesOf(await requests(cloud, since));
    assert.equal(writes.includes('POST assignLicense'), false);
    assert.equal(
      writes[writes.findIndex((x) => x.startsWith('Set-') || x.startsWith('Add-'))],
      'Set-Mailbox',
    );
    if (out.status === 'applied') {
      const kept = out.plan.operations.find((o) => o.id === 'noop:licenceKept');
      assert.ok(kept, 'the plan says why the licence stays');
    }
  });
});

describe('a connection without Exchange.ManageAsApp', () => {
  it('fails the Exchange steps with a clear reason while the Entra part applies; licences stay', async () => {
    const w = leaverWorld(cloud, 'leaverNoExchange');
    const out = await w.send(leaver('E3', 'Nora', 'Noperm'), '1');
    assert.equal(out.status, 'failed', JSON.stringify(out));
    if (out.status !== 'failed') return;
    assert.equal(out.code, 'TENURE_EXCHANGE_UNAUTHORIZED');
    assert.match(out.reason, /Exchange\.ManageAsApp/);
    const nora = userByEmployeeId(cloud, 'E3');
    assert.equal(nora.properties.accountEnabled, false, 'disabled all the same');
    assert.equal(nora.assignedLicenses.length, 1, 'licence kept: the mailbox was not converted');
    const results = w.deps.timeline.entries
      .filter((e) => e.kind === 'operation')
      .map((e) => e.data as { id: string; status: string; error?: { code: string } });
    const status = (id: string) => results.find((r) => r.id === id)?.status;
    assert.equal(status('disableUser'), 'applied');
    assert.equal(status('revokeSessions'), 'applied');
    assert.equal(status('setMailboxType'), 'failed');
    assert.equal(results.find((r) => r.id === 'setMailboxType')?.error?.code, 'TENURE_EXCHANGE_UNAUTHORIZED');
    assert.equal(status('removeLicenses'), 'notRun');
    const mb = await mailboxOf('E3');
    assert.equal(mb.recipientTypeDetails, 'UserMailbox' as unknown as Loose);
    const worker = await w.deps.workers.get('hr', 'E3');
    assert.equal(worker?.status, 'failed');
    assert.equal(worker?.errorCode, 'TENURE_EXCHANGE_UNAUTHORIZED');
  });
});

describe('Exchange throttling', () => {
  it('retries the concurrency refusal honouring Retry-After, and the leaver completes', async () => {
    const w = leaverWorld(cloud);
    const put = await httpsRequest(
      `${cloud.emulator.context.endpoints.admin}/exchange/${cloud.tenant.id}/throttling`,
      cloud.ca,
      { method: 'PUT', body: { rejectNext: 2, retryAfterSeconds: 3 } },
    );
    assert.equal(put.status, 200);
    const since = lastSeq(cloud);
    const out = await w.send(leaver('E4', 'Tom', 'Throttled'), '1');
    assert.equal(out.status, 'applied', JSON.stringify(out));
    const refused = (await requests(cloud, since, 'exchange')).filter(
      // The listener also logs each refusal without the cmdlet name; count the cmdlet entries.
      (e) => e.status === 429 && e.detail === 'Get-Mailbox',
    );
    assert.equal(refused.length, 2);
    assert.deepEqual(w.waits.filter((ms) => ms === 3000).length, 2);
    assert.equal((await mailboxOf('E4')).recipientTypeDetails, 'SharedMailbox' as unknown as Loose);
  });
});
