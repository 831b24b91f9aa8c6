// Directory-wide uniqueness (graph-spec §1.5): userPrincipalName among users, and SMTP addresses
// (mail/proxyAddresses) among users and groups — soft-deleted users keep holding theirs until purged.
// Also purges deleted items older than 30 days (user-delete: "after 30 days ... permanently deleted").
import type { Tenant } from '../../state/model';
import { graphErrors } from '../kernel/errors';
import { recordRemoval } from './removals';
import { proxyAddressValue } from './userModel';

export const RESTORE_WINDOW_MS = 30 * 86_400_000;

export function purgeExpiredDeletedItems(tenant: Tenant, now: number): void {
  for (const [id, item] of tenant.deletedItems)
    if (now - item.deletedAt >= RESTORE_WINDOW_MS) {
      tenant.deletedItems.delete(id);
      recordRemoval(tenant, { id, kind: item.kind, at: item.deletedAt + RESTORE_WINDOW_MS });
    }
}

/** Throws the UPN ObjectConflict when another user (live or soft-deleted) holds the UPN. */
export function assertUpnFree(tenant: Tenant, upn: string, selfId: string | undefined, now: number): void {
  purgeExpiredDeletedItems(tenant, now);
  const key = upn.toLowerCase();
  const holders = [
    ...[...tenant.users.values()],
    ...[...tenant.deletedItems.values()].flatMap((d) => (d.user ? [d.user] : [])),
  ];
  if (
    holders.some((u) => u.id !== selfId && String(u.properties.userPrincipalName ?? '').toLowerCase() === key)
  )
    throw graphErrors.conflict('userPrincipalName');
}

/** The object (user or group, live or soft-deleted user) that holds an SMTP address, other than selfId. */
export function smtpAddressHolder(
  tenant: Tenant,
  address: string,
  selfId: string | undefined,
  now: number,
): string | undefined {
  purgeExpiredDeletedItems(tenant, now);
  const key = address.toLowerCase();
  const objects: { id: string; properties: Record<string, unknown> }[] = [
    ...tenant.users.values(),
    ...tenant.groups.values(),
    ...[...tenant.deletedItems.values()].flatMap(
      (d): { id: string; properties: Record<string, unknown> }[] =>
        d.user ? [d.user] : d.group ? [d.group] : [],
    ),
  ];
  for (const o of objects) {
    if (o.id === selfId) continue;
    const proxies = Array.isArray(o.properties.proxyAddresses)
      ? (o.properties.proxyAddresses as string[])
      : [];
    if (proxies.some((p) => proxyAddressValue(p) === key)) return o.id;
    if (String(o.properties.mail ?? '').toLowerCase() === key) return o.id;
  }
  return undefined;
}

/** Throws the proxyAddresses ObjectConflict (with ConflictingObjects) when the address is taken. */
export function assertSmtpAddressFree(
  tenant: Tenant,
  address: string,
  selfId: string | undefined,
  now: number,
): void {
  const holder = smtpAddressHolder(tenant, address, selfId, now);
  if (holder) throw graphErrors.conflict('proxyAddresses', holder);
}
