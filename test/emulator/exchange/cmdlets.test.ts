// Exchange admin API cmdlets through plain HTTPS, as the ExchangeOnlineManagement module calls them
// (graph-spec.md §7.2, §7.3): the value[] envelope, Identity forms, Set-Mailbox leaver settings, auto-replies,
// permissions with Exchange's warnings on repeats, and the pipe-delimited error details.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  appToken,
  errorDetail,
  httpsRequest,
  invoke,
  startTestCloud,
  type Loose,
  type TestCloud,
} from './helpers';

let cloud: TestCloud;
let token: string;
const upn = (name: string): string => `${name}@${cloud.domain}`;
const userId = (name: string): string =>
  [...cloud.tenant.users.values()].find((u) => u.properties.userPrincipalName === upn(name))!.id;
const list = (x: Loose | undefined): Loose[] => (x ?? []) as unknown as Loose[];

before(async () => {
  cloud = await startTestCloud();
  token = appToken(cloud, 'admin', 'exchange');
});
after(() => cloud.close());

describe('Get-Mailbox', () => {
  it('answers in the value[] envelope with the mailbox properties', async () => {
    const answer = await invoke(cloud, token, 'Get-Mailbox', { Identity: upn('alice') });
    assert.equal(answer.status, 200);
    assert.match(
      String(answer.json['@odata.context']),
      /\/adminapi\/beta\/.+\$metadata#Collection\(Exchange\.GenericHashTable\)$/,
    );
    const [mbx] = list(answer.json.value);
    assert.equal(mbx!.UserPrincipalName, upn('alice'));
    assert.equal(mbx!.PrimarySmtpAddress, upn('alice'));
    assert.equal(mbx!.ExternalDirectoryObjectId, userId('alice'));
    assert.equal(mbx!.RecipientTypeDetails, 'UserMailbox');
    assert.equal(mbx!.HiddenFromAddressListsEnabled, false);
    assert.equal(mbx!.LitigationHoldEnabled, false);
    assert.equal(mbx!.SKUAssigned, true);
    assert.ok(list(mbx!.EmailAddresses).includes(`SMTP:${upn('alice')}` as unknown as Loose));
    assert.match(String(mbx!.ProhibitSendQuota), /^99 GB \(106,300,440,576 bytes\)$/);
  });

  it('resolves Identity by alias, primary SMTP address and object id', async () => {
    for (const identity of ['alice', upn('alice').toUpperCase(), userId('alice')]) {
      const answer = await invoke(cloud, token, 'Get-Mailbox', { Identity: identity });
      assert.equal(answer.status, 200, identity);
      assert.equal(list(answer.json.value)[0]!.ExternalDirectoryObjectId, userId('alice'));
    }
  });

  it('answers 404 with a pipe-delimited ManagementObjectNotFoundException for an unknown identity', async () => {
    const answer = await invoke(cloud, token, 'Get-Mailbox', { Identity: 'nobody@nowhere.test' });
    assert.equal(answer.status, 404);
    assert.equal(answer.json.error?.code, 'NotFound');
    assert.equal(answer.json.error?.message, 'Error executing cmdlet');
    const detail = errorDetail(answer);
    assert.equal(detail.errorId, 'Ex6F9304');
    assert.equal(
      detail.exceptionType,
      'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    );
    assert.match(detail.message, /object 'nobody@nowhere\.test' couldn't be found/);
  });

  it('has no mailbox for users without an Exchange plan (unlicensed, or SharePoint Web Apps only)', async () => {
    for (const name of ['dave', 'erin']) {
      const answer = await invoke(cloud, token, 'Get-Mailbox', { Identity: upn(name) });
      assert.equal(answer.status, 404, name);
    }
  });

  it('lists licensed mailboxes, honours ResultSize and $select', async () => {
    const all = await invoke(cloud, token, 'Get-Mailbox', {});
    const upns = list(all.json.value).map((m) => m.UserPrincipalName);
    assert.deepEqual(new Set(upns), new Set([upn('alice'), upn('bob'), upn('carol'), upn('frank')]));
    const two = await invoke(cloud, token, 'Get-Mailbox', { ResultSize: 2 });
    assert.equal(list(two.json.value).length, 2);
    const selected = await invoke(
      cloud,
      token,
      'Get-Mailbox',
      { Identity: 'bob' },
      { query: '?$select=Alias,PrimarySmtpAddress' },
    );
    assert.deepEqual(Object.keys(list(selected.json.value)[0]!).sort(), ['Alias', 'PrimarySmtpAddress']);
  });

  it('pages with Prefer: odata.maxpagesize and @odata.nextLink', async () => {
    const first = await invoke(
      cloud,
      token,
      'Get-Mailbox',
      {},
      { headers: { Prefer: 'odata.maxpagesize=3' } },
    );
    assert.equal(list(first.json.value).length, 3);
    const next = String(first.json['@odata.nextLink']);
    const url = new URL(next);
    const rest = await invoke(
      cloud,
      token,
      'Get-Mailbox',
      {},
      { query: url.search, headers: { Prefer: 'odata.maxpagesize=3' } },
    );
    assert.equal(list(rest.json.value).length, 1);
    assert.equal(rest.json['@odata.nextLink'], undefined);
  });

  it('refuses an unknown parameter and an unknown cmdlet', async () => {
    const param = await invoke(cloud, token, 'Get-Mailbox', { Identity: 'alice', Colour: 'blue' });
    assert.equal(param.status, 400);
    assert.equal(errorDetail(param).exceptionType, 'System.Management.Automation.ParameterBindingException');
    assert.match(errorDetail(param).message, /parameter name 'Colour'/);
    const cmdlet = await invoke(cloud, token, 'Remove-Everything', {});
    assert.equal(cmdlet.status, 400);
    assert.equal(errorDetail(cmdlet).exceptionType, 'System.Management.Automation.CommandNotFoundException');
  });

  it('reports the mailbox size through Get-MailboxStatistics', async () => {
    const answer = await invoke(cloud, token, 'Get-MailboxStatistics', { Identity: 'alice' });
    assert.equal(answer.status, 200);
    assert.match(String(list(answer.json.value)[0]!.TotalItemSize), /^1 GB \(1,073,741,824 bytes\)$/);
  });
});

describe('Set-Mailbox', () => {
  it('converts to a shared mailbox and back, warning when nothing changes', async () => {
    const toShared = await invoke(cloud, token, 'Set-Mailbox', { Identity: upn('carol'), Type: 'Shared' });
    assert.equal(toShared.status, 200);
    assert.deepEqual(toShared.json.value, []);
    let got = await invoke(cloud, token, 'Get-Mailbox', { Identity: 'carol' });
    assert.equal(list(got.json.value)[0]!.RecipientTypeDetails, 'SharedMailbox');
    const again = await invoke(cloud, token, 'Set-Mailbox', { Identity: upn('carol'), Type: 'shared' });
    assert.equal(again.status, 200);
    assert.match(
      String(list(again.json['@adminapi.warnings'])[0]),
      /no settings of 'carol' have been modified/,
    );
    await invoke(cloud, token, 'Set-Mailbox', { Identity: upn('carol'), Type: 'Regular' });
    got = await invoke(cloud, token, 'Get-Mailbox', { Identity: 'carol' });
    assert.equal(list(got.json.value)[0]!.RecipientTypeDetails, 'UserMailbox');
  });

  it('hides from the address lists and forwards, accepting PowerShell-style booleans', async () => {
    const set = await invoke(cloud, token, 'Set-Mailbox', {
      Identity: upn('bob'),
      HiddenFromAddressListsEnabled: '$true',
      ForwardingSmtpAddress: upn('alice'),
      DeliverToMailboxAndForward: true,
    });
    assert.equal(set.status, 200);
    const [mbx] = list((await invoke(cloud, token, 'Get-Mailbox', { Identity: 'bob' })).json.value);
    assert.equal(mbx!.HiddenFromAddressListsEnabled, true);
    assert.equal(mbx!.ForwardingSmtpAddress, `smtp:${upn('alice')}`);
    assert.equal(mbx!.DeliverToMailboxAndForward, true);
    const clear = await invoke(cloud, token, 'Set-Mailbox', {
      Identity: upn('bob'),
      ForwardingSmtpAddress: null,
    });
    assert.equal(clear.status, 200);
    const [cleared] = list((await invoke(cloud, token, 'Get-Mailbox', { Identity: 'bob' })).json.value);
    assert.equal(cleared!.ForwardingSmtpAddress, null);
  });

  it('refuses a bad value and changes nothing', async () => {
    const bad = await invoke(cloud, token, 'Set-Mailbox', {
      Identity: upn('bob'),
      HiddenFromAddressListsEnabled: false,
      ForwardingSmtpAddress: 'not an address',
    });
    assert.equal(bad.status, 400);
    assert.equal(errorDetail(bad).exceptionType, 'System.Management.Automation.ParameterBindingException');
    const [mbx] = list((await invoke(cloud, token, 'Get-Mailbox', { Identity: 'bob' })).json.value);
    assert.equal(mbx!.HiddenFromAddressListsEnabled, true);
    const boolean = await invoke(cloud, token, 'Set-Mailbox', {
      Identity: 'bob',
      LitigationHoldEnabled: 'maybe',
    });
    assert.equal(boolean.status, 400);
  });

  it('adds and removes proxy addresses with the GenericHashTable form, and Graph sees them', async () => {
    const address = `alice.leaver@${cloud.domain}`;
    const add = await invoke(cloud, token, 'Set-Mailbox', {
      Identity: upn('alice'),
      EmailAddresses: { '@odata.type': '#Exchange.GenericHashTable', Add: `smtp:${address}` },
    });
    assert.equal(add.status, 200);
    let [mbx] = list((await invoke(cloud, token, 'Get-Mailbox', { Identity: 'alice' })).json.value);
    assert.ok(list(mbx!.EmailAddresses).includes(`smtp:${address}` as unknown as Loose));
    const user = cloud.tenant.users.get(userId('alice'))!;
    assert.ok((user.properties.proxyAddresses as string[]).includes(`smtp:${address}`));
    const remove = await invoke(cloud, token, 'Set-Mailbox', {
      Identity: upn('alice'),
      EmailAddresses: { '@odata.type': '#Exchange.GenericHashTable', Remove: [address] },
    });
    assert.equal(remove.status, 200);
    [mbx] = list((await invoke(cloud, token, 'Get-Mailbox', { Identity: 'alice' })).json.value);
    assert.ok(!list(mbx!.EmailAddresses).includes(`smtp:${address}` as unknown as Loose));
  });

  it("refuses another recipient's address and a domain that is not accepted", async () => {
    const taken = await invoke(cloud, token, 'Set-Mailbox', {
      Identity: upn('alice'),
      EmailAddresses: { '@odata.type': '#Exchange.GenericHashTable', Add: upn('bob') },
    });
    assert.equal(taken.status, 400);
    assert.match(errorDetail(taken).message, /is already being used by the proxy addresses/);
    const domain = cloud.tenant.domains.find((d) => !d.isVerified)!.id;
    const foreign = await invoke(cloud, token, 'Set-Mailbox', {
      Identity: upn('alice'),
      EmailAddresses: { '@odata.type': '#Exchange.GenericHashTable', Add: `alice@${domain}` },
    });
    assert.equal(foreign.status, 400);
    assert.match(errorDetail(foreign).message, /isn't an accepted domain/);
  });
});

describe('shared-mailbox licence rule', () => {
  const adminState = async (): Promise<Loose[]> => {
    const answer = await httpsRequest(
      `${cloud.emulator.context.endpoints.admin}/exchange/${cloud.tenant.id}/mailboxes`,
      cloud.ca,
    );
    return list(answer.json.value);
  };

  it('refuses litigation hold without a Plan 2 licence', async () => {
    const answer = await invoke(cloud, token, 'Set-Mailbox', {
      Identity: upn('carol'),
      LitigationHoldEnabled: true,
    });
    assert.equal(answer.status, 400);
    assert.equal(errorDetail(answer).exceptionType, 'System.InvalidOperationException');
    assert.match(errorDetail(answer).message, /Litigation Hold/);
  });

  it('flags a held shared mailbox whose licence is removed (licenseViolation), not one that keeps it', async () => {
    const hold = await invoke(cloud, token, 'Set-Mailbox', {
      Identity: upn('alice'),
      LitigationHoldEnabled: true,
    });
    assert.equal(hold.status, 200);
    await invoke(cloud, token, 'Set-Mailbox', { Identity: upn('alice'), Type: 'Shared' });
    let alice = (await adminState()).find((m) => String(m.userPrincipalName) === upn('alice'))!;
    assert.equal(alice.needsLicence, true);
    assert.equal(alice.licenseViolation, false);
    const [held] = list((await invoke(cloud, token, 'Get-Mailbox', { Identity: 'alice' })).json.value);
    assert.equal(held!.LitigationHoldEnabled, true);
    assert.ok(held!.LitigationHoldDate);
    // What Graph's assignLicense with removeLicenses does to the directory user.
    cloud.tenant.users.get(userId('alice'))!.assignedLicenses = [];
    alice = (await adminState()).find((m) => String(m.userPrincipalName) === upn('alice'))!;
    assert.equal(alice.licenseViolation, true);
    const dump = await httpsRequest(
      `${cloud.emulator.context.endpoints.admin}/tenants/${cloud.tenant.id}`,
      cloud.ca,
    );
    assert.equal(dump.json.mailboxes?.[userId('alice')]?.licenseViolation, true);
    const [unlicensed] = list((await invoke(cloud, token, 'Get-Mailbox', { Identity: 'alice' })).json.value);
    assert.equal(unlicensed!.SKUAssigned, false);
  });

  it('treats a shared mailbox over 50 GB as needing a licence', async () => {
    const patch = await httpsRequest(
      `${cloud.emulator.context.endpoints.admin}/exchange/${cloud.tenant.id}/mailboxes/${upn('frank')}`,
      cloud.ca,
      { method: 'PATCH', body: { sizeGb: 60 } },
    );
    assert.equal(patch.status, 200);
    await invoke(cloud, token, 'Set-Mailbox', { Identity: upn('frank'), Type: 'Shared' });
    let frank = (await adminState()).find((m) => String(m.userPrincipalName) === upn('frank'))!;
    assert.equal(frank.needsLicence, true);
    assert.equal(frank.licenseViolation, false);
    const stats = await invoke(cloud, token, 'Get-MailboxStatistics', { Identity: 'frank' });
    assert.match(String(list(stats.json.value)[0]!.TotalItemSize), /^60 GB/);
    cloud.tenant.users.get(userId('frank'))!.assignedLicenses = [];
    frank = (await adminState()).find((m) => String(m.userPrincipalName) === upn('frank'))!;
    assert.equal(frank.licenseViolation, true);
  });
});

describe('auto-replies', () => {
  it('sets a scheduled reply and reads it back with the messages stored as HTML', async () => {
    const set = await invoke(cloud, token, 'Set-MailboxAutoReplyConfiguration', {
      Identity: upn('bob'),
      AutoReplyState: 'Scheduled',
      InternalMessage: 'Bob has left; contact Alice.',
      ExternalMessage: 'Bob has left.',
      ExternalAudience: 'Known',
      StartTime: '2030-01-01T09:00:00Z',
      EndTime: '2030-02-01T09:00:00Z',
    });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json.value, []);
    const [conf] = list(
      (await invoke(cloud, token, 'Get-MailboxAutoReplyConfiguration', { Identity: 'bob' })).json.value,
    );
    assert.equal(conf!.AutoReplyState, 'Scheduled');
    assert.equal(conf!.ExternalAudience, 'Known');
    assert.equal(conf!.InternalMessage, '<html>\n<body>\nBob has left; contact Alice.\n</body>\n</html>\n');
    assert.equal(conf!.StartTime, '2030-01-01T09:00:00.000Z');
    assert.equal(conf!.EndTime, '2030-02-01T09:00:00.000Z');
  });

  it('refuses an end before the start and an unknown state', async () => {
    const times = await invoke(cloud, token, 'Set-MailboxAutoReplyConfiguration', {
      Identity: upn('bob'),
      AutoReplyState: 'Scheduled',
      StartTime: '2030-03-01T00:00:00Z',
      EndTime: '2030-02-01T00:00:00Z',
    });
    assert.equal(times.status, 400);
    assert.equal(errorDetail(times).exceptionType, 'Microsoft.Exchange.Data.DataValidationException');
    const state = await invoke(cloud, token, 'Set-MailboxAutoReplyConfiguration', {
      Identity: 'bob',
      AutoReplyState: 'On',
    });
    assert.equal(state.status, 400);
    assert.match(errorDetail(state).message, /Disabled, Enabled, Scheduled/);
  });
});

describe('mailbox and recipient permissions', () => {
  it('grants FullAccess, warns on a repeat, lists it beside NT AUTHORITY\\SELF, removes it', async () => {
    const params = {
      Identity: upn('carol'),
      User: upn('bob'),
      AccessRights: ['FullAccess'],
      InheritanceType: 'All',
      AutoMapping: false,
    };
    const add = await invoke(cloud, token, 'Add-MailboxPermission', params);
    assert.equal(add.status, 200);
    const [granted] = list(add.json.value);
    assert.equal(granted!.User, upn('bob'));
    assert.deepEqual(granted!.AccessRights, ['FullAccess']);
    const repeat = await invoke(cloud, token, 'Add-MailboxPermission', params);
    assert.equal(repeat.status, 200);
    assert.deepEqual(repeat.json.value, []);
    assert.match(
      String(list(repeat.json['@adminapi.warnings'])[0]),
      /access control entry is already present/,
    );
    const listed = list(
      (await invoke(cloud, token, 'Get-MailboxPermission', { Identity: 'carol' })).json.value,
    );
    assert.deepEqual(
      listed.map((p) => p.User),
      ['NT AUTHORITY\\SELF', upn('bob')],
    );
    const state = cloud.tenant.mailboxes.get(userId('carol'))!;
    assert.deepEqual(state.fullAccess, [userId('bob')]);
    assert.equal(state.mailboxPermissions![0]!.autoMapping, false);
    const remove = await invoke(cloud, token, 'Remove-MailboxPermission', {
      Identity: 'carol',
      User: 'bob',
      AccessRights: 'FullAccess',
      Confirm: false,
    });
    assert.equal(remove.status, 200);
    const again = await invoke(cloud, token, 'Remove-MailboxPermission', {
      Identity: 'carol',
      User: 'bob',
      AccessRights: 'FullAccess',
    });
    assert.match(String(list(again.json['@adminapi.warnings'])[0]), /doesn't exist on the object/);
  });

  it('grants Send As, warns on a repeat, lists and removes it', async () => {
    const params = { Identity: upn('carol'), Trustee: upn('bob'), AccessRights: 'SendAs', Confirm: false };
    const add = await invoke(cloud, token, 'Add-RecipientPermission', params);
    assert.equal(add.status, 200);
    assert.equal(list(add.json.value)[0]!.Trustee, upn('bob'));
    const repeat = await invoke(cloud, token, 'Add-RecipientPermission', params);
    assert.deepEqual(repeat.json.value, []);
    assert.match(String(list(repeat.json['@adminapi.warnings'])[0]), /already present/);
    const listed = list(
      (await invoke(cloud, token, 'Get-RecipientPermission', { Identity: 'carol' })).json.value,
    );
    assert.deepEqual(
      listed.map((p) => p.Trustee),
      ['NT AUTHORITY\\SELF', upn('bob')],
    );
    const remove = await invoke(cloud, token, 'Remove-RecipientPermission', params);
    assert.equal(remove.status, 200);
    assert.deepEqual(cloud.tenant.mailboxes.get(userId('carol'))!.sendAs, []);
  });

  it('refuses an unknown trustee and a right that does not exist', async () => {
    const who = await invoke(cloud, token, 'Add-MailboxPermission', {
      Identity: 'carol',
      User: 'ghost@nowhere.test',
      AccessRights: 'FullAccess',
    });
    assert.equal(who.status, 404);
    assert.equal(
      errorDetail(who).exceptionType,
      'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    );
    const right = await invoke(cloud, token, 'Add-MailboxPermission', {
      Identity: 'carol',
      User: 'bob',
      AccessRights: 'Everything',
    });
    assert.equal(right.status, 400);
  });
});
