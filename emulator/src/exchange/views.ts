// What Get-Mailbox, Get-MailboxStatistics and the permission cmdlets return: objects with Exchange's property
// names and value formats (ByteQuantifiedSize strings, "Unlimited", ISO dates).
import type { DirectoryUser, Mailbox, Tenant } from '../state/model';
import { hasAnyExchangeLicence, hasPlan2Rights } from './licences';
import { aliasOf, derivedGuid, emailAddresses, primarySmtp, upnOf } from './mailboxes';

const GB = 1024 ** 3;

/** "49 GB (52,613,349,376 bytes)" — Exchange's ByteQuantifiedSize text. */
export function byteQuantified(bytes: number): string {
  const units: [string, number][] = [
    ['TB', 1024 ** 4],
    ['GB', GB],
    ['MB', 1024 ** 2],
    ['KB', 1024],
  ];
  const [unit, size] = units.find(([, s]) => bytes >= s) ?? ['B', 1];
  const n = Math.round((bytes / size) * 100) / 100;
  return `${n} ${unit} (${Math.round(bytes).toLocaleString('en-US')} bytes)`;
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

export function mailboxView(tenant: Tenant, user: DirectoryUser, mailbox: Mailbox): Record<string, unknown> {
  const p = mailbox.properties;
  const quotaGb = hasPlan2Rights(tenant, user) ? 100 : 50;
  const alias = aliasOf(user, mailbox);
  return {
    Identity: alias,
    Id: alias,
    Name: alias,
    Alias: alias,
    DisplayName: String(user.properties.displayName ?? alias),
    UserPrincipalName: upnOf(user),
    PrimarySmtpAddress: primarySmtp(mailbox),
    WindowsEmailAddress: primarySmtp(mailbox),
    EmailAddresses: emailAddresses(mailbox),
    ExternalDirectoryObjectId: user.id,
    Guid: derivedGuid(`guid:${user.id}`),
    ExchangeGuid: derivedGuid(`exchange:${user.id}`),
    RecipientType: 'UserMailbox',
    RecipientTypeDetails: mailbox.recipientTypeDetails,
    IsShared: mailbox.recipientTypeDetails === 'SharedMailbox',
    AccountDisabled: user.properties.accountEnabled === false,
    HiddenFromAddressListsEnabled: p.HiddenFromAddressListsEnabled === true,
    ForwardingSmtpAddress: p.ForwardingSmtpAddress ?? null,
    ForwardingAddress: null,
    DeliverToMailboxAndForward: p.DeliverToMailboxAndForward === true,
    LitigationHoldEnabled: p.LitigationHoldEnabled === true,
    LitigationHoldDate: p.LitigationHoldDate ?? null,
    LitigationHoldOwner: p.LitigationHoldOwner ?? null,
    LitigationHoldDuration: p.LitigationHoldDuration ?? 'Unlimited',
    ArchiveStatus: mailbox.archiveEnabled ? 'Active' : 'None',
    SKUAssigned: hasAnyExchangeLicence(tenant, user),
    ProhibitSendQuota: byteQuantified((quotaGb - 1) * GB),
    ProhibitSendReceiveQuota: byteQuantified(quotaGb * GB),
    IssueWarningQuota: byteQuantified((quotaGb - 2) * GB),
    WhenMailboxCreated: iso(mailbox.createdAt),
    WhenCreated: iso(user.createdAt),
    WhenChanged: iso(user.changedAt),
  };
}

export function mailboxStatisticsView(user: DirectoryUser, mailbox: Mailbox): Record<string, unknown> {
  const bytes = mailbox.sizeGb * GB;
  return {
    DisplayName: String(user.properties.displayName ?? ''),
    MailboxGuid: derivedGuid(`exchange:${user.id}`),
    MailboxTypeDetail: mailbox.recipientTypeDetails,
    ItemCount: Math.round(mailbox.sizeGb * 10_000),
    DeletedItemCount: 0,
    TotalItemSize: byteQuantified(bytes),
    TotalDeletedItemSize: byteQuantified(0),
    StorageLimitStatus: null,
    IsArchiveMailbox: false,
  };
}

export function mailboxPermissionView(
  mailboxIdentity: string,
  trustee: string,
  accessRights: string[],
  inheritanceType: string,
  isInherited = false,
): Record<string, unknown> {
  return {
    Identity: mailboxIdentity,
    User: trustee,
    AccessRights: accessRights,
    IsInherited: isInherited,
    Deny: false,
    InheritanceType: inheritanceType,
  };
}

export function recipientPermissionView(mailboxIdentity: string, trustee: string): Record<string, unknown> {
  return {
    Identity: mailboxIdentity,
    Trustee: trustee,
    AccessControlType: 'Allow',
    AccessRights: ['SendAs'],
    IsInherited: false,
    InheritanceType: 'None',
  };
}
