/**
 * Flat flow attribute paths (`employeeOrgData/costCenter`, `onPremisesExtensionAttributes/extensionAttribute3`)
 * ↔ Graph's nested user JSON (pure). employeeOrgData is always written whole: Graph nulls an omitted half.
 */
import type { JsonValue } from '../engine/plan/model';
import { ENTRA_USER_ATTRIBUTES } from '../flows/entra-attributes';

export const NESTED = ['employeeOrgData', 'onPremisesExtensionAttributes'] as const;

/** Read for their own sake: identity, naming, state. */
const OWN_PROPERTIES = [
  'id',
  'accountEnabled',
  'employeeId',
  'userPrincipalName',
  'mail',
  'mailNickname',
  'proxyAddresses',
  'deletedDateTime',
];

/**
 * Mappable attributes gated by a permission a connection need not hold, with the application permission that
 * lets Tenure read and write each (Graph: reading employeeLeaveDateTime needs User-LifeCycleInfo.Read.All, writing
 * it User.Read.All and User-LifeCycleInfo.ReadWrite.All, which implies the read). They are read only for a flow
 * that maps them (`userSelect`); a caller without the permission reads them as null, and a write is refused (403).
 */
export const GATED_ATTRIBUTES: Readonly<Record<string, string>> = {
  employeeLeaveDateTime: 'User-LifeCycleInfo.ReadWrite.All',
};

const isGated = (attribute: string): boolean => Object.hasOwn(GATED_ATTRIBUTES, attribute);

/**
 * Properties read for every observed user: Tenure's own plus every attribute a flow may map (one list,
 * ENTRA_USER_ATTRIBUTES) except the gated ones, nested paths by their parent property.
 */
export const USER_SELECT: readonly string[] = [
  ...new Set([
    ...OWN_PROPERTIES,
    ...[...ENTRA_USER_ATTRIBUTES].filter((a) => !isGated(a)).map((a) => a.split('/')[0]),
  ]),
];

/** The gated attributes among these (e.g. the attributes a flow maps): what to read besides USER_SELECT. */
export function gatedReads(attributes: Iterable<string>): string[] {
  return [...new Set([...attributes].filter(isGated))].sort();
}

/** USER_SELECT plus the gated attributes asked for (anything else asked for is ignored). */
export function userSelect(extra: readonly string[] = []): readonly string[] {
  const more = gatedReads(extra);
  return more.length === 0 ? USER_SELECT : [...USER_SELECT, ...more];
}

/** Graph user JSON → flat attributes (nested objects become `parent/child` keys). */
export function flattenUser(user: Readonly<Record<string, unknown>>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(user)) {
    if (key.startsWith('@odata')) continue;
    if ((NESTED as readonly string[]).includes(key) && value && typeof value === 'object') {
      for (const [child, v] of Object.entries(value as Record<string, unknown>)) {
        out[`${key}/${child}`] = (v ?? null) as JsonValue;
      }
      continue;
    }
    out[key] = (value ?? null) as JsonValue;
  }
  return out;
}

/**
 * Flat changes → Graph PATCH/POST body. `current` (flat, observed) completes employeeOrgData so the half not
 * changed keeps its value.
 */
export function toGraphBody(
  changes: Readonly<Record<string, JsonValue>>,
  current: Readonly<Record<string, JsonValue>> = {},
): Record<string, JsonValue> {
  const body: Record<string, JsonValue> = {};
  const nested: Record<string, Record<string, JsonValue>> = {};
  for (const [key, value] of Object.entries(changes)) {
    const slash = key.indexOf('/');
    if (slash < 0) {
      body[key] = value;
      continue;
    }
    const parent = key.slice(0, slash);
    (nested[parent] ??= {})[key.slice(slash + 1)] = value;
  }
  if (nested.employeeOrgData) {
    nested.employeeOrgData = {
      division: current['employeeOrgData/division'] ?? null,
      costCenter: current['employeeOrgData/costCenter'] ?? null,
      ...nested.employeeOrgData,
    };
  }
  for (const [parent, value] of Object.entries(nested)) body[parent] = value;
  return body;
}
