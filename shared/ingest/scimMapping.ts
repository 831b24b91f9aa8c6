/**
 * SCIM attribute → HR field mapping for API-driven ingestion. Paths use the names Entra's API-driven provisioning
 * shows in its attribute mapping: core attributes by name (`name.givenName`), multi-valued ones with a type filter
 * (`emails[type eq "work"].value`), extension attributes after their schema URN (`urn:…:enterprise:2.0:User:
 * department`). The default maps each attribute to an HR field of the name in DEFAULT_SCIM_MAPPING; custom
 * extension attributes map to an HR field of their own name. A flow's `scim:` section overrides per path. A mapped
 * attribute whose HR field the flow does not define is ignored (and listed in the answer), as Entra ignores
 * attributes it has no mapping for.
 */
import type { Flow } from '../flows';

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const E = ENTERPRISE_USER;

/** SCIM path → HR field name (documented in docs/ingestion.md). */
export const DEFAULT_SCIM_MAPPING: Readonly<Record<string, string>> = {
  externalId: 'externalId',
  userName: 'userName',
  'name.givenName': 'givenName',
  'name.familyName': 'familyName',
  'name.middleName': 'middleName',
  'name.formatted': 'formattedName',
  displayName: 'displayName',
  nickName: 'nickName',
  active: 'active',
  title: 'title',
  userType: 'userType',
  preferredLanguage: 'preferredLanguage',
  locale: 'locale',
  timezone: 'timezone',
  'emails[type eq "work"].value': 'email',
  'phoneNumbers[type eq "work"].value': 'phoneNumber',
  'phoneNumbers[type eq "mobile"].value': 'mobilePhone',
  'addresses[type eq "work"].streetAddress': 'streetAddress',
  'addresses[type eq "work"].locality': 'locality',
  'addresses[type eq "work"].region': 'region',
  'addresses[type eq "work"].postalCode': 'postalCode',
  'addresses[type eq "work"].country': 'country',
  [`${E}:employeeNumber`]: 'employeeNumber',
  [`${E}:department`]: 'department',
  [`${E}:costCenter`]: 'costCenter',
  [`${E}:division`]: 'division',
  [`${E}:organization`]: 'organization',
  [`${E}:manager.value`]: 'manager',
};

const FILTERED = /^([A-Za-z][\w]*)\[type eq "([^"]*)"\]\.([A-Za-z][\w]*)$/;

/** Case-insensitive property lookup (SCIM attribute names are case-insensitive, RFC 7643 §2.1). */
function prop(obj: unknown, name: string): unknown {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
  const rec = obj as Record<string, unknown>;
  if (name in rec) return rec[name];
  const lower = name.toLowerCase();
  const key = Object.keys(rec).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : rec[key];
}

function dotted(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('.')) cur = prop(cur, part);
  return cur;
}

function attributePath(obj: unknown, path: string): unknown {
  const m = FILTERED.exec(path);
  if (!m) return dotted(obj, path);
  const list = prop(obj, m[1]!);
  if (!Array.isArray(list)) return undefined;
  const hit = list.find((x) => String(prop(x, 'type') ?? '').toLowerCase() === m[2]!.toLowerCase());
  return prop(hit, m[3]!);
}

/** The value at a mapping path in a SCIM User resource (`data` of an operation). */
export function scimValue(user: Readonly<Record<string, unknown>>, path: string): unknown {
  if (path.toLowerCase().startsWith('urn:')) {
    const cut = path.lastIndexOf(':');
    const urn = path.slice(0, cut);
    return attributePath(prop(user, urn), path.slice(cut + 1));
  }
  return attributePath(user, path);
}

function isValue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  return typeof v === 'number' || typeof v === 'boolean' || Array.isArray(v);
}

/** The effective mapping for a flow: defaults, custom extension attributes of this user, the flow's overrides. */
export function mappingFor(
  flow: Pick<Flow, 'scim'>,
  user: Readonly<Record<string, unknown>>,
): Map<string, string> {
  const mapping = new Map(Object.entries(DEFAULT_SCIM_MAPPING));
  for (const [key, value] of Object.entries(user)) {
    const lower = key.toLowerCase();
    if (
      !lower.startsWith('urn:') ||
      lower === CORE_USER.toLowerCase() ||
      lower === ENTERPRISE_USER.toLowerCase()
    )
      continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    for (const attr of Object.keys(value)) mapping.set(`${key}:${attr}`, attr);
  }
  // An override replaces the default of its path, and a default that fed the same HR field gives way to it.
  const overridden = new Set(Object.values(flow.scim));
  for (const [path, field] of mapping) if (overridden.has(field)) mapping.delete(path);
  for (const [path, field] of Object.entries(flow.scim)) mapping.set(path, field);
  return mapping;
}

export interface MappedUser {
  readonly raw: Record<string, unknown>;
  /** Paths that had a value but map to no field of the flow. */
  readonly ignored: string[];
}

export function mapScimUser(
  flow: Pick<Flow, 'scim' | 'hr'>,
  user: Readonly<Record<string, unknown>>,
): MappedUser {
  const fields = new Set(flow.hr.fields.map((f) => f.name));
  const raw: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [path, field] of mappingFor(flow, user)) {
    const value = scimValue(user, path);
    // An attribute sent as null clears its field (absent attributes keep the stored value, see storedMerge.ts).
    if (value === null) {
      if (fields.has(field) && raw[field] === undefined) raw[field] = null;
      continue;
    }
    if (!isValue(value)) continue;
    if (!fields.has(field)) {
      ignored.push(path);
      continue;
    }
    if (raw[field] === undefined || raw[field] === null) raw[field] = value;
  }
  return { raw, ignored };
}
