// Get-Mailbox, Get-MailboxStatistics and Set-Mailbox (graph-spec.md §7.3;
// https://learn.microsoft.com/powershell/module/exchange/set-mailbox).
import type { DirectoryUser, Mailbox, Tenant } from '../../state/model';
import { invalidOperation, invalidValue, parameterBinding } from '../errors';
import { hasPlan2Rights } from '../licences';
import { aliasOf, allMailboxes, emailAddresses, resolveMailbox, upnOf } from '../mailboxes';
import type { MultiValueUpdate } from '../params';
import { mailboxStatisticsView, mailboxView } from '../views';
import { COMMON_PARAMETERS, noChangeWarning, type CmdletDefinition } from './types';

const DEFAULT_RESULT_SIZE = 1000;

export const getMailbox: CmdletDefinition = {
  name: 'Get-Mailbox',
  parameters: ['Identity', 'ResultSize', 'RecipientTypeDetails', ...COMMON_PARAMETERS],
  writes: false,
  run({ tenant, params, now }) {
    const identity = params.string('Identity');
    if (identity) {
      const { user, mailbox } = resolveMailbox(tenant, identity, now);
      return { value: [mailboxView(tenant, user, mailbox)] };
    }
    const typeFilter = params.multiValue('RecipientTypeDetails');
    const wanted =
      typeFilter && 'replace' in typeFilter ? typeFilter.replace.map((t) => t.toLowerCase()) : [];
    const all = allMailboxes(tenant, now).filter(
      (r) => wanted.length === 0 || wanted.includes(r.mailbox.recipientTypeDetails.toLowerCase()),
    );
    const size = params.resultSize() ?? DEFAULT_RESULT_SIZE;
    const warnings =
      params.resultSize() === undefined && all.length > DEFAULT_RESULT_SIZE
        ? [
            'By default, only the first 1000 items are returned. Use the ResultSize parameter to specify the number of items returned. To return all items, specify "-ResultSize Unlimited". Be aware that, depending on the actual number of items, returning all items can take a long time and consume a large amount of memory. Also, we don\'t recommend storing the results in a variable. Instead, pipe the results to another task or script to perform batch changes.',
          ]
        : undefined;
    return { value: all.slice(0, size).map((r) => mailboxView(tenant, r.user, r.mailbox)), warnings };
  },
};

export const getMailboxStatistics: CmdletDefinition = {
  name: 'Get-MailboxStatistics',
  parameters: ['Identity', ...COMMON_PARAMETERS],
  writes: false,
  run({ tenant, params, now }) {
    const { user, mailbox } = resolveMailbox(
      tenant,
      params.requiredString('Identity', 'Get-MailboxStatistics'),
      now,
    );
    return { value: [mailboxStatisticsView(user, mailbox)] };
  },
};

const SMTP = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export const setMailbox: CmdletDefinition = {
  name: 'Set-Mailbox',
  parameters: [
    'Identity',
    'Type',
    'HiddenFromAddressListsEnabled',
    'ForwardingSmtpAddress',
    'DeliverToMailboxAndForward',
    'LitigationHoldEnabled',
    'LitigationHoldDuration',
    'LitigationHoldOwner',
    'EmailAddresses',
    'DisplayName',
    'Force',
    ...COMMON_PARAMETERS,
  ],
  writes: true,
  run(inv) {
    const { tenant, params, now } = inv;
    const identity = params.requiredString('Identity', 'Set-Mailbox');
    const { user, mailbox } = resolveMailbox(tenant, identity, now);
    const before = JSON.stringify([
      mailbox.recipientTypeDetails,
      mailbox.properties,
      user.properties.displayName,
    ]);
    // Validate every parameter before changing anything: a failed Set-* leaves the mailbox as it was.
    const type = params.enumValue(
      'Type',
      'Microsoft.Exchange.Management.RecipientTasks.ConvertibleMailboxSubType',
      ['Regular', 'Shared', 'Room', 'Equipment'] as const,
    );
    if (type === 'Room' || type === 'Equipment')
      throw invalidOperation(`Converting to a ${type} mailbox is not emulated.`);
    const hidden = params.boolean('HiddenFromAddressListsEnabled');
    const deliver = params.boolean('DeliverToMailboxAndForward');
    const hold = params.boolean('LitigationHoldEnabled');
    const forwarding = params.has('ForwardingSmtpAddress')
      ? forwardingValue(params.string('ForwardingSmtpAddress'))
      : undefined;
    const addresses = params.has('EmailAddresses')
      ? nextAddresses(tenant, user, mailbox, params.multiValue('EmailAddresses')!)
      : undefined;
    const displayName = params.string('DisplayName');
    if (displayName !== undefined && displayName.trim() === '')
      throw invalidValue("The DisplayName property can't be empty.");
    if (hold === true && mailbox.properties.LitigationHoldEnabled !== true && !hasPlan2Rights(tenant, user))
      throw invalidOperation(
        `The mailbox '${aliasOf(user, mailbox)}' doesn't have a license that includes Litigation Hold (Exchange Online Plan 2 or Exchange Online Archiving). Assign a license before enabling Litigation Hold.`,
      );

    if (type === 'Shared') mailbox.recipientTypeDetails = 'SharedMailbox';
    if (type === 'Regular') mailbox.recipientTypeDetails = 'UserMailbox';
    if (hidden !== undefined) mailbox.properties.HiddenFromAddressListsEnabled = hidden;
    if (deliver !== undefined) mailbox.properties.DeliverToMailboxAndForward = deliver;
    if (forwarding !== undefined) mailbox.properties.ForwardingSmtpAddress = forwarding;
    if (hold !== undefined && hold !== mailbox.properties.LitigationHoldEnabled) {
      mailbox.properties.LitigationHoldEnabled = hold;
      mailbox.properties.LitigationHoldDate = hold ? new Date(now).toISOString() : null;
      mailbox.properties.LitigationHoldOwner = hold
        ? (params.string('LitigationHoldOwner') ?? inv.actor)
        : null;
    }
    if (params.has('LitigationHoldDuration'))
      mailbox.properties.LitigationHoldDuration = params.string('LitigationHoldDuration') || 'Unlimited';
    if (addresses) applyAddresses(user, mailbox, addresses, now);
    if (displayName !== undefined && displayName !== user.properties.displayName) {
      user.properties.displayName = displayName;
      user.changedAt = now;
    }
    const after = JSON.stringify([
      mailbox.recipientTypeDetails,
      mailbox.properties,
      user.properties.displayName,
    ]);
    return { value: [], warnings: before === after ? [noChangeWarning(aliasOf(user, mailbox))] : undefined };
  },
};

function forwardingValue(v: string | undefined): string | null {
  if (v === undefined || v.trim() === '') return null;
  const address = v.trim().replace(/^smtp:/i, '');
  if (!SMTP.test(address))
    throw parameterBinding(
      `Cannot process argument transformation on parameter 'ForwardingSmtpAddress'. Cannot convert value "${v}" to type "Microsoft.Exchange.Data.ProxyAddress". Error: "The address '${v}' is invalid."`,
    );
  return `smtp:${address}`;
}

/** The EmailAddresses after a replace or Add/Remove, validated: one primary, accepted domains, no clashes. */
function nextAddresses(
  tenant: Tenant,
  user: DirectoryUser,
  mailbox: Mailbox,
  update: MultiValueUpdate,
): string[] {
  const normalise = (a: string): string => {
    const m = /^(smtp):(.+)$/i.exec(a);
    if (m) return `${m[1] === 'SMTP' ? 'SMTP' : 'smtp'}:${m[2]!.trim()}`;
    if (/^[a-z0-9]+:/i.test(a)) return a; // X500:, SIP:, ... kept as given
    return `smtp:${a}`;
  };
  let list: string[];
  if ('replace' in update) list = update.replace.map(normalise);
  else {
    const remove = new Set(update.remove.map((a) => a.replace(/^smtp:/i, '').toLowerCase()));
    const current = emailAddresses(mailbox).filter(
      (a) => !remove.has(a.replace(/^smtp:/i, '').toLowerCase()),
    );
    const added = update.add.map(normalise);
    if (added.some((a) => a.startsWith('SMTP:'))) {
      for (let i = 0; i < current.length; i++)
        if (current[i]!.startsWith('SMTP:')) current[i] = `smtp:${current[i]!.slice(5)}`;
    }
    list = [...current];
    for (const a of added) {
      const bare = a.replace(/^smtp:/i, '').toLowerCase();
      const i = list.findIndex((x) => x.replace(/^smtp:/i, '').toLowerCase() === bare);
      if (i >= 0) list[i] = a;
      else list.push(a);
    }
  }
  const primaries = list.filter((a) => a.startsWith('SMTP:'));
  if (primaries.length === 0)
    throw invalidValue(
      'The primary SMTP address must be specified. Specify exactly one primary SMTP address (prefix "SMTP:").',
    );
  if (primaries.length > 1)
    throw invalidValue(`Only one primary SMTP address is allowed, but found: ${primaries.join(', ')}.`);
  const accepted = new Set(tenant.domains.filter((d) => d.isVerified).map((d) => d.id));
  for (const a of list.filter((x) => /^smtp:/i.test(x))) {
    const address = a.slice(5);
    if (!SMTP.test(address)) throw invalidValue(`The proxy address "${a}" is invalid.`);
    const domain = address.split('@')[1]!.toLowerCase();
    if (!accepted.has(domain))
      throw invalidValue(
        `The domain "${domain}" of proxy address "${a}" isn't an accepted domain for your organization. Use an accepted domain.`,
      );
    const owner = addressOwner(tenant, user.id, address);
    if (owner)
      throw invalidValue(
        `The proxy address "${a}" is already being used by the proxy addresses or LegacyExchangeDN of "${owner}". Please choose another proxy address.`,
      );
  }
  return list;
}

/** Another directory object's alias holding this address, if any (UPN, mail or a proxy address). */
function addressOwner(tenant: Tenant, selfId: string, address: string): string | undefined {
  const key = address.toLowerCase();
  for (const other of tenant.users.values()) {
    if (other.id === selfId) continue;
    const proxies = [
      ...(Array.isArray(other.properties.proxyAddresses)
        ? (other.properties.proxyAddresses as string[])
        : []),
      ...emailAddresses(tenant.mailboxes.get(other.id) ?? ({ properties: {} } as Mailbox)),
    ].map((p) => p.replace(/^smtp:/i, '').toLowerCase());
    if (
      proxies.includes(key) ||
      String(other.properties.mail ?? '').toLowerCase() === key ||
      upnOf(other).toLowerCase() === key
    )
      return aliasOf(other, tenant.mailboxes.get(other.id));
  }
  for (const group of tenant.groups.values()) {
    const proxies = Array.isArray(group.properties.proxyAddresses)
      ? (group.properties.proxyAddresses as string[])
      : [];
    if (
      String(group.properties.mail ?? '').toLowerCase() === key ||
      proxies.some((p) => p.replace(/^smtp:/i, '').toLowerCase() === key)
    )
      return String(group.properties.mailNickname ?? group.id);
  }
  return undefined;
}

/** Exchange writes addresses back to the directory: Graph sees them as proxyAddresses and mail. */
function applyAddresses(user: DirectoryUser, mailbox: Mailbox, list: string[], now: number): void {
  if (JSON.stringify(list) === JSON.stringify(emailAddresses(mailbox))) return;
  mailbox.properties.EmailAddresses = list;
  user.properties.proxyAddresses = [...list];
  user.properties.mail = list.find((a) => a.startsWith('SMTP:'))!.slice(5);
  user.changedAt = now;
}
