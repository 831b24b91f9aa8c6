/**
 * The playbook's MailboxService over InvokeCommand: Get-Mailbox, Get-MailboxStatistics,
 * Get-/Set-MailboxAutoReplyConfiguration, Get-/Add-MailboxPermission, Get-/Add-RecipientPermission, Set-Mailbox
 * (graph-spec.md §7.3). Reads are normalised into plain snapshots; Add-* repeats are success (Exchange answers
 * 200 with a warning).
 */
import { isTenureError } from '../engine/errors';
import type {
  AutoReplySnapshot,
  AutoReplyState,
  ExternalAudience,
  MailboxService,
  MailboxSnapshot,
  SetMailboxChanges,
} from '../playbook/ports';
import type { ExchangeAdminClient } from './client';
import type { CmdletParameters, CmdletValue } from './types';

const s = (v: unknown): string => (typeof v === 'string' ? v : '');

/** "60 GB (64,424,509,440 bytes)" → 64424509440; unknown formats → 0. */
export function parseByteQuantified(text: string): number {
  const m = /\(([\d,.]+) bytes\)/.exec(text);
  return m ? Number(m[1]!.replace(/[,.]/g, '')) : 0;
}

export function toMailboxSnapshot(raw: Readonly<Record<string, unknown>>): MailboxSnapshot {
  const details = s(raw.RecipientTypeDetails);
  return {
    type: details === 'UserMailbox' || details === 'SharedMailbox' ? details : 'Other',
    litigationHold: raw.LitigationHoldEnabled === true,
    archive: s(raw.ArchiveStatus).toLowerCase() === 'active',
    hiddenFromAddressLists: raw.HiddenFromAddressListsEnabled === true,
    forwardingSmtpAddress: s(raw.ForwardingSmtpAddress).replace(/^smtp:/i, '') || null,
    deliverToMailboxAndForward: raw.DeliverToMailboxAndForward === true,
    displayName: s(raw.DisplayName),
    emailAddresses: Array.isArray(raw.EmailAddresses) ? raw.EmailAddresses.map(String) : [],
    primarySmtpAddress: s(raw.PrimarySmtpAddress),
  };
}

function enumOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  const found = allowed.find((a) => a.toLowerCase() === s(v).toLowerCase());
  return found ?? fallback;
}

export function toAutoReplySnapshot(raw: Readonly<Record<string, unknown>>): AutoReplySnapshot {
  return {
    state: enumOf<AutoReplyState>(raw.AutoReplyState, ['Disabled', 'Enabled', 'Scheduled'], 'Disabled'),
    internalMessage: s(raw.InternalMessage),
    externalMessage: s(raw.ExternalMessage),
    externalAudience: enumOf<ExternalAudience>(raw.ExternalAudience, ['None', 'Known', 'All'], 'None'),
  };
}

const SELF = /^NT AUTHORITY\\SELF$/i;

function rights(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return s(v)
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** The Set-Mailbox parameters for a change set (pure). */
export function setMailboxParameters(identity: string, c: SetMailboxChanges): CmdletParameters {
  const p: Record<string, CmdletValue> = { Identity: identity };
  if (c.type) p.Type = c.type;
  if (c.litigationHoldEnabled !== undefined) p.LitigationHoldEnabled = c.litigationHoldEnabled;
  if (c.litigationHoldDurationDays !== undefined)
    p.LitigationHoldDuration = String(c.litigationHoldDurationDays);
  if (c.hiddenFromAddressListsEnabled !== undefined)
    p.HiddenFromAddressListsEnabled = c.hiddenFromAddressListsEnabled;
  if (c.forwardingSmtpAddress !== undefined) p.ForwardingSmtpAddress = c.forwardingSmtpAddress;
  if (c.deliverToMailboxAndForward !== undefined) p.DeliverToMailboxAndForward = c.deliverToMailboxAndForward;
  if (c.removeEmailAddresses && c.removeEmailAddresses.length > 0) {
    p.EmailAddresses = { '@odata.type': '#Exchange.GenericHashTable', Remove: [...c.removeEmailAddresses] };
  }
  return p;
}

export class ExchangeMailboxes implements MailboxService {
  constructor(private readonly client: ExchangeAdminClient) {}

  async getMailbox(identity: string): Promise<MailboxSnapshot | null> {
    try {
      const r = await this.client.invoke({ cmdlet: 'Get-Mailbox', parameters: { Identity: identity } });
      return r.value[0] ? toMailboxSnapshot(r.value[0]) : null;
    } catch (error) {
      if (isTenureError(error) && error.code === 'TENURE_EXCHANGE_NOT_FOUND') return null;
      throw error;
    }
  }

  async totalItemSizeBytes(identity: string): Promise<number> {
    const r = await this.client.invoke({
      cmdlet: 'Get-MailboxStatistics',
      parameters: { Identity: identity },
    });
    return parseByteQuantified(s(r.value[0]?.TotalItemSize));
  }

  async getAutoReply(identity: string): Promise<AutoReplySnapshot> {
    const r = await this.client.invoke({
      cmdlet: 'Get-MailboxAutoReplyConfiguration',
      parameters: { Identity: identity },
    });
    return toAutoReplySnapshot(r.value[0] ?? {});
  }

  async fullAccessTrustees(identity: string): Promise<string[]> {
    const r = await this.client.invoke({
      cmdlet: 'Get-MailboxPermission',
      parameters: { Identity: identity },
    });
    return r.value
      .filter((e) => e.IsInherited !== true && e.Deny !== true && !SELF.test(s(e.User)))
      .filter((e) => rights(e.AccessRights).some((a) => a.toLowerCase() === 'fullaccess'))
      .map((e) => s(e.User).toLowerCase());
  }

  async sendAsTrustees(identity: string): Promise<string[]> {
    const r = await this.client.invoke({
      cmdlet: 'Get-RecipientPermission',
      parameters: { Identity: identity },
    });
    return r.value
      .filter((e) => e.IsInherited !== true && !SELF.test(s(e.Trustee)) && s(e.AccessControlType) !== 'Deny')
      .filter((e) => rights(e.AccessRights).some((a) => a.toLowerCase() === 'sendas'))
      .map((e) => s(e.Trustee).toLowerCase());
  }

  async setMailbox(identity: string, changes: SetMailboxChanges): Promise<void> {
    await this.client.invoke({ cmdlet: 'Set-Mailbox', parameters: setMailboxParameters(identity, changes) });
  }

  async setAutoReply(
    identity: string,
    reply: {
      state: AutoReplyState;
      internalMessage?: string;
      externalMessage?: string;
      externalAudience?: ExternalAudience;
    },
  ): Promise<void> {
    const p: Record<string, CmdletValue> = { Identity: identity, AutoReplyState: reply.state };
    if (reply.internalMessage !== undefined) p.InternalMessage = reply.internalMessage;
    if (reply.externalMessage !== undefined) p.ExternalMessage = reply.externalMessage;
    if (reply.externalAudience !== undefined) p.ExternalAudience = reply.externalAudience;
    await this.client.invoke({ cmdlet: 'Set-MailboxAutoReplyConfiguration', parameters: p });
  }

  async addFullAccess(identity: string, trustee: string, autoMapping: boolean): Promise<void> {
    await this.client.invoke({
      cmdlet: 'Add-MailboxPermission',
      parameters: {
        Identity: identity,
        User: trustee,
        AccessRights: ['FullAccess'],
        InheritanceType: 'All',
        AutoMapping: autoMapping,
      },
    });
  }

  async addSendAs(identity: string, trustee: string): Promise<void> {
    await this.client.invoke({
      cmdlet: 'Add-RecipientPermission',
      parameters: { Identity: identity, Trustee: trustee, AccessRights: ['SendAs'], Confirm: false },
    });
  }

  async removeFullAccess(identity: string, trustee: string): Promise<void> {
    await this.client.invoke({
      cmdlet: 'Remove-MailboxPermission',
      parameters: {
        Identity: identity,
        User: trustee,
        AccessRights: ['FullAccess'],
        InheritanceType: 'All',
        Confirm: false,
      },
    });
  }

  async removeSendAs(identity: string, trustee: string): Promise<void> {
    await this.client.invoke({
      cmdlet: 'Remove-RecipientPermission',
      parameters: { Identity: identity, Trustee: trustee, AccessRights: ['SendAs'], Confirm: false },
    });
  }
}
