// The Graph user resource over the emulator's DirectoryUser: which properties exist, which Graph returns by
// default, which can be written, and the full view list/$select work from
// (https://learn.microsoft.com/graph/api/resources/user).
import type { DirectoryUser, Tenant } from '../../state/model';
import { graphErrors } from '../kernel/errors';

/** Returned when there is no $select (user resource page, "default properties"). */
export const USER_DEFAULT_SELECT = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

/** Properties the caller may set on create and update. */
export const USER_WRITABLE = [
  'accountEnabled',
  'ageGroup',
  'businessPhones',
  'city',
  'companyName',
  'consentProvidedForMinor',
  'country',
  'department',
  'displayName',
  'employeeHireDate',
  'employeeId',
  'employeeLeaveDateTime',
  'employeeOrgData',
  'employeeType',
  'faxNumber',
  'givenName',
  'jobTitle',
  'mail',
  'mailNickname',
  'mobilePhone',
  'officeLocation',
  'onPremisesExtensionAttributes',
  'onPremisesImmutableId',
  'otherMails',
  'passwordPolicies',
  'passwordProfile',
  'postalCode',
  'preferredDataLocation',
  'preferredLanguage',
  'preferredName',
  'showInAddressList',
  'state',
  'streetAddress',
  'surname',
  'usageLocation',
  'userPrincipalName',
  'userType',
  'aboutMe',
  'birthday',
  'hireDate',
  'interests',
  'mySite',
  'pastProjects',
  'responsibilities',
  'schools',
  'skills',
] as const;

/** Profile properties Graph does not let an app-only caller update (user-update). */
export const DELEGATED_ONLY_PROPERTIES = new Set([
  'aboutMe',
  'birthday',
  'hireDate',
  'interests',
  'mySite',
  'pastProjects',
  'responsibilities',
  'schools',
  'skills',
]);

/** Read-only properties: setting them answers 400. */
export const USER_READ_ONLY = [
  'id',
  'proxyAddresses',
  'assignedLicenses',
  'assignedPlans',
  'createdDateTime',
  'deletedDateTime',
  'signInSessionsValidFromDateTime',
  'onPremisesSyncEnabled',
  'securityIdentifier',
  'creationType',
  'lastPasswordChangeDateTime',
] as const;

export const USER_SELECTABLE: readonly string[] = [
  ...new Set<string>([
    ...USER_DEFAULT_SELECT,
    ...USER_WRITABLE,
    ...USER_READ_ONLY,
    'externalUserState',
    'identities',
    'imAddresses',
    'isResourceAccount',
    'licenseAssignmentStates',
    'onPremisesDistinguishedName',
    'onPremisesDomainName',
    'onPremisesLastSyncDateTime',
    'onPremisesSamAccountName',
    'onPremisesSecurityIdentifier',
    'onPremisesUserPrincipalName',
    'legalAgeGroupClassification',
    'provisionedPlans',
  ]),
];

export function isoOrNull(ms: number | undefined): string | null {
  return ms ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

/** The full Graph representation of a user (before $select). */
export function userView(user: DirectoryUser, deletedAt?: number): Record<string, unknown> {
  const p = user.properties;
  const passwordProfile = p.passwordProfile as Record<string, unknown> | undefined;
  return {
    ...p,
    id: user.id,
    businessPhones: p.businessPhones ?? [],
    otherMails: p.otherMails ?? [],
    proxyAddresses: p.proxyAddresses ?? [],
    imAddresses: p.imAddresses ?? [],
    userType: p.userType ?? 'Member',
    creationType: p.creationType ?? null,
    passwordProfile: passwordProfile ? { ...passwordProfile, password: null } : null,
    assignedLicenses: user.assignedLicenses.map((l) => ({ skuId: l.skuId, disabledPlans: l.disabledPlans })),
    createdDateTime: isoOrNull(user.createdAt),
    deletedDateTime: isoOrNull(deletedAt),
    signInSessionsValidFromDateTime: isoOrNull(user.signInSessionsValidFrom || user.createdAt),
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(s: string): boolean {
  return GUID.test(s);
}

/** A live user by object id or userPrincipalName (Graph accepts both in /users/{id | userPrincipalName}). */
export function findUser(tenant: Tenant, idOrUpn: string): DirectoryUser | undefined {
  const key = idOrUpn.toLowerCase();
  if (isGuid(idOrUpn)) {
    const direct = tenant.users.get(idOrUpn) ?? tenant.users.get(key);
    if (direct) return direct;
    for (const u of tenant.users.values()) if (u.id.toLowerCase() === key) return u;
    return undefined;
  }
  for (const u of tenant.users.values())
    if (String(u.properties.userPrincipalName ?? '').toLowerCase() === key) return u;
  return undefined;
}

export function requireUser(tenant: Tenant, idOrUpn: string): DirectoryUser {
  const user = findUser(tenant, idOrUpn);
  if (!user) throw graphErrors.notFound(idOrUpn);
  return user;
}

/** The address part of a proxy address ("SMTP:a@b" → "a@b"), lower-cased. */
export function proxyAddressValue(proxy: string): string {
  return proxy.replace(/^smtp:/i, '').toLowerCase();
}

/**
 * Setting `mail` adds it to proxyAddresses as the primary SMTP address; the previous primary stays as a
 * secondary `smtp:` address (user resource, "mail and proxyAddresses properties").
 */
export function applyMailToProxies(proxies: string[], mail: string): string[] {
  const value = mail.toLowerCase();
  const rest = proxies
    .filter((p) => proxyAddressValue(p) !== value)
    .map((p) => (p.startsWith('SMTP:') ? 'smtp:' + p.slice(5) : p));
  return [`SMTP:${mail}`, ...rest];
}

/** Seeded users and groups carry `mail` without proxyAddresses; give them the proxy Graph would show. */
export function normaliseSeededProxies(tenant: Tenant): void {
  for (const u of tenant.users.values()) {
    const mail = u.properties.mail;
    if (typeof mail === 'string' && !Array.isArray(u.properties.proxyAddresses))
      u.properties.proxyAddresses = applyMailToProxies([], mail);
  }
  for (const g of tenant.groups.values()) {
    const mail = g.properties.mail;
    if (typeof mail === 'string' && !Array.isArray(g.properties.proxyAddresses))
      g.properties.proxyAddresses = applyMailToProxies([], mail);
  }
}
