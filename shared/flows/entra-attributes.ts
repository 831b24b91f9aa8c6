/**
 * Entra user attributes a flow's `attributes:` map may set. Names follow Microsoft Graph's user resource;
 * `employeeOrgData/<x>` addresses a property of the complex `employeeOrgData`, and
 * `onPremisesExtensionAttributes/extensionAttributeN` one of the 15 extension attributes (writable for
 * cloud-only users). Directory extensions (`extension_<appId without dashes>_<name>`) are accepted by pattern.
 */
export const ENTRA_USER_ATTRIBUTES: ReadonlySet<string> = new Set([
  'displayName',
  'givenName',
  'surname',
  'jobTitle',
  'department',
  'companyName',
  'officeLocation',
  'usageLocation',
  'employeeType',
  'employeeHireDate',
  'employeeLeaveDateTime',
  'employeeOrgData/division',
  'employeeOrgData/costCenter',
  'city',
  'country',
  'state',
  'streetAddress',
  'postalCode',
  'mobilePhone',
  'businessPhones',
  'faxNumber',
  'preferredLanguage',
  'otherMails',
  'ageGroup',
  'consentProvidedForMinor',
  'showInAddressList',
  ...Array.from({ length: 15 }, (_, i) => `onPremisesExtensionAttributes/extensionAttribute${i + 1}`),
]);

/** Multi-valued attributes: an expression's single string value is wrapped in a one-element list. */
export const MULTI_VALUED_ATTRIBUTES: ReadonlySet<string> = new Set(['businessPhones', 'otherMails']);

/** Attributes other parts of the flow own; mapping them in `attributes:` is an error naming the owner. */
export const OWNED_ATTRIBUTES: Readonly<Record<string, string>> = {
  userPrincipalName: 'naming.userPrincipalName',
  mailNickname: 'naming.mailNickname',
  mail: 'naming.mail',
  employeeId: 'matching.joinKey',
  accountEnabled: 'the lifecycle stages',
  manager: 'manager',
  passwordProfile: 'stages.hire.initialCredential',
};

const DIRECTORY_EXTENSION = /^extension_[0-9a-fA-F]{32}_[A-Za-z0-9_]+$/;

export function isKnownEntraAttribute(name: string): boolean {
  return ENTRA_USER_ATTRIBUTES.has(name) || DIRECTORY_EXTENSION.test(name);
}
