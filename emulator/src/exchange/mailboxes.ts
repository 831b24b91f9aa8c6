// Mailboxes: which exist (an Exchange licence, or one already created), how an Identity resolves to one, and the
// shared-mailbox licence rule. Mailbox state lives in tenant.mailboxes keyed by the user's object id.
import { createHash } from 'node:crypto';
import type { DirectoryUser, Mailbox, Tenant } from '../state/model';
import { ambiguous, objectNotFound } from './errors';
import { hasMailboxLicence, hasPlan2Rights } from './licences';

/** A shared mailbox over this size still needs a licence. */
export const SHARED_MAILBOX_FREE_LIMIT_GB = 50;

export interface MailboxRef {
  user: DirectoryUser;
  mailbox: Mailbox;
}

/** A stable GUID derived from a seed string (ExchangeGuid and the like). */
export function derivedGuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function upnOf(user: DirectoryUser): string {
  return String(user.properties.userPrincipalName ?? '');
}

function initialDomain(tenant: Tenant): string | undefined {
  return (tenant.domains.find((d) => d.isInitial) ?? tenant.domains.find((d) => d.isDefault))?.id;
}

/** The mailbox's EmailAddresses (SMTP: primary, smtp: secondaries). */
export function emailAddresses(mailbox: Mailbox): string[] {
  const v = mailbox.properties.EmailAddresses;
  return Array.isArray(v) ? (v as string[]) : [];
}

export function primarySmtp(mailbox: Mailbox): string {
  const p = emailAddresses(mailbox).find((a) => a.startsWith('SMTP:'));
  return p ? p.slice(5) : '';
}

export function aliasOf(user: DirectoryUser, mailbox?: Mailbox): string {
  return String(mailbox?.properties.Alias ?? user.properties.mailNickname ?? upnOf(user).split('@')[0]);
}

/** Fills the Exchange-owned properties of a mailbox from its directory user (first time it is seen). */
function initialise(tenant: Tenant, user: DirectoryUser, mailbox: Mailbox, now: number): void {
  mailbox.properties.Alias ??= aliasOf(user);
  if (!Array.isArray(mailbox.properties.EmailAddresses)) {
    const upn = upnOf(user);
    const primary = String(user.properties.mail ?? upn);
    const proxies = Array.isArray(user.properties.proxyAddresses)
      ? (user.properties.proxyAddresses as string[])
      : [];
    const list = proxies.some((p) => p.startsWith('SMTP:')) ? [...proxies] : [`SMTP:${primary}`, ...proxies];
    const initial = initialDomain(tenant);
    const routing = initial ? `smtp:${String(mailbox.properties.Alias)}@${initial}` : undefined;
    if (routing && !list.some((a) => a.toLowerCase() === routing.toLowerCase())) list.push(routing);
    mailbox.properties.EmailAddresses = list;
  }
  mailbox.properties.HiddenFromAddressListsEnabled ??= false;
  mailbox.properties.ForwardingSmtpAddress ??= null;
  mailbox.properties.DeliverToMailboxAndForward ??= false;
  mailbox.properties.LitigationHoldEnabled ??= false;
  mailbox.createdAt ??= now;
  mailbox.mailboxPermissions ??= mailbox.fullAccess.map((trustee) => ({
    trustee,
    accessRights: ['FullAccess'],
    inheritanceType: 'All' as const,
    autoMapping: true,
  }));
  mailbox.autoReply.AutoReplyState ??= 'Disabled';
  attachLicenceRule(tenant, user, mailbox);
}

/** Needs a licence although shared: on litigation hold, over 50 GB, or with an archive. */
export function sharedMailboxNeedsLicence(mailbox: Mailbox): boolean {
  return (
    mailbox.properties.LitigationHoldEnabled === true ||
    mailbox.sizeGb > SHARED_MAILBOX_FREE_LIMIT_GB ||
    mailbox.archiveEnabled === true
  );
}

/** True when a mailbox that must stay licensed is not (see Mailbox.licenseViolation). */
export function licenceViolation(tenant: Tenant, user: DirectoryUser, mailbox: Mailbox): boolean {
  if (mailbox.recipientTypeDetails !== 'SharedMailbox') return false;
  return sharedMailboxNeedsLicence(mailbox) && !hasPlan2Rights(tenant, user);
}

/** Makes licenseViolation a live, enumerable property, so the tenant dump shows it after a Graph licence change. */
function attachLicenceRule(tenant: Tenant, user: DirectoryUser, mailbox: Mailbox): void {
  const own = Object.getOwnPropertyDescriptor(mailbox, 'licenseViolation');
  if (own?.get) return;
  Object.defineProperty(mailbox, 'licenseViolation', {
    enumerable: true,
    configurable: true,
    get: () => {
      const current = tenant.users.get(user.id) ?? user;
      return licenceViolation(tenant, current, mailbox);
    },
  });
}

/** The user's mailbox, created on first use when the user holds an Exchange licence; undefined otherwise. */
export function mailboxOf(tenant: Tenant, user: DirectoryUser, now: number): Mailbox | undefined {
  let mailbox = tenant.mailboxes.get(user.id);
  if (!mailbox) {
    if (!hasMailboxLicence(tenant, user)) return undefined;
    mailbox = {
      userId: user.id,
      recipientTypeDetails: 'UserMailbox',
      sizeGb: 1,
      properties: {},
      autoReply: { AutoReplyState: 'Disabled' },
      fullAccess: [],
      sendAs: [],
      createdAt: now,
    };
    tenant.mailboxes.set(user.id, mailbox);
  }
  initialise(tenant, user, mailbox, now);
  return mailbox;
}

/** Every mailbox in the tenant (creating those licensed users are due), in user order. */
export function allMailboxes(tenant: Tenant, now: number): MailboxRef[] {
  const out: MailboxRef[] = [];
  for (const user of tenant.users.values()) {
    const mailbox = mailboxOf(tenant, user, now);
    if (mailbox) out.push({ user, mailbox });
  }
  return out;
}

function matchesMailbox(user: DirectoryUser, mailbox: Mailbox, key: string): boolean {
  const candidates = [
    user.id,
    upnOf(user),
    String(user.properties.mail ?? ''),
    aliasOf(user, mailbox),
    String(user.properties.displayName ?? ''),
    ...emailAddresses(mailbox).map((a) => a.replace(/^smtp:/i, '')),
  ];
  return candidates.some((c) => c !== '' && c.toLowerCase() === key);
}

/** Resolves a cmdlet's -Identity to a mailbox (object id, UPN, alias, SMTP address or display name). */
export function resolveMailbox(tenant: Tenant, identity: string, now: number): MailboxRef {
  const key = identity.trim().toLowerCase();
  const found = allMailboxes(tenant, now).filter((r) => matchesMailbox(r.user, r.mailbox, key));
  if (found.length === 0) throw objectNotFound(identity);
  if (found.length > 1) throw ambiguous(identity);
  return found[0]!;
}

/** Resolves -User / -Trustee to a directory user (any security principal the directory knows). */
export function resolvePrincipal(tenant: Tenant, identity: string, now: number): DirectoryUser {
  const key = identity.trim().toLowerCase();
  const found = [...tenant.users.values()].filter((u) => {
    const mailbox = mailboxOf(tenant, u, now);
    if (mailbox && matchesMailbox(u, mailbox, key)) return true;
    return [u.id, upnOf(u), String(u.properties.mail ?? ''), String(u.properties.displayName ?? '')].some(
      (c) => c !== '' && c.toLowerCase() === key,
    );
  });
  if (found.length === 0) throw objectNotFound(identity);
  if (found.length > 1) throw ambiguous(identity);
  return found[0]!;
}
