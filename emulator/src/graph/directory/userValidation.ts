// Validation of user create and update bodies, with Graph's error texts (graph-spec §1.1–1.3).
import type { Tenant } from '../../state/model';
import { GraphError, graphErrors } from '../kernel/errors';
import { USER_READ_ONLY, USER_WRITABLE } from './userModel';

const WRITABLE = new Map(USER_WRITABLE.map((p) => [p.toLowerCase(), p as string]));
const READ_ONLY = new Map(USER_READ_ONLY.map((p) => [p.toLowerCase(), p as string]));

/** Reads a JSON object body (Graph answers 400 for an empty or non-object payload). */
export function objectBody(raw: unknown): Record<string, unknown> {
  if (raw === undefined) throw new GraphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new GraphError(400, 'BadRequest', 'Invalid request body: a JSON object is expected.');
  return raw as Record<string, unknown>;
}

/** Normalises property names to Graph's spelling; rejects unknown and read-only properties. */
export function userPropertiesOf(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@odata.')) continue;
    const lower = key.toLowerCase();
    if (lower === 'manager' || lower === 'manager@odata.bind')
      throw graphErrors.badRequest('Property manager in payload has a value that does not match schema.');
    const ro = READ_ONLY.get(lower);
    if (ro) throw graphErrors.badRequest(`Property '${ro}' is read-only and cannot be set.`);
    const name = WRITABLE.get(lower);
    if (!name)
      throw graphErrors.badRequest(
        `Property '${key}' does not exist as a declared property or extension property.`,
      );
    out[name] = value;
  }
  return out;
}

/** userPrincipalName: alias@domain, allowed characters A-Z a-z 0-9 ' . - _ ! # ^ ~ (user-post-users). */
export function validateUpn(tenant: Tenant, upn: unknown, onPremisesImmutableId: unknown): string {
  if (typeof upn !== 'string') throw graphErrors.invalidValue('userPrincipalName');
  const m = /^([A-Za-z0-9'.\-_!#^~]{1,64})@([A-Za-z0-9.-]+)$/.exec(upn);
  if (!m || m[1]!.startsWith('.') || m[1]!.endsWith('.') || m[1]!.includes('..'))
    throw graphErrors.invalidValue('userPrincipalName');
  const domain = tenant.domains.find((d) => d.id === m[2]!.toLowerCase());
  if (!domain || !domain.isVerified)
    throw graphErrors.badRequest(
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
      [{ code: 'InvalidValue', target: 'userPrincipalName' }],
    );
  if (
    domain.authenticationType === 'Federated' &&
    (typeof onPremisesImmutableId !== 'string' || !onPremisesImmutableId)
  )
    // Observed answer (microsoftgraph/dotnetcore-console-sample issue 46).
    throw graphErrors.badRequest('One or more properties contains invalid values.');
  return upn;
}

/** Entra's password policy: 8–256 characters, three of lower, upper, digit, symbol. */
export function validatePassword(password: unknown): string {
  const complexity = (): GraphError =>
    graphErrors.badRequest(
      'The specified password does not comply with password complexity requirements. Please provide a different password.',
    );
  if (typeof password !== 'string' || password.length < 8 || password.length > 256) throw complexity();
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) throw complexity();
  return password;
}

const isDate = (v: unknown): boolean =>
  typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}/.test(v);

/**
 * Checks each present property's value and returns the values to store (normalised). `creating` makes the
 * required properties required. passwordProfile is returned separately (the password is not a property).
 */
export function validateUserValues(
  tenant: Tenant,
  props: Record<string, unknown>,
  creating: boolean,
  existing: Record<string, unknown> = {},
): { values: Record<string, unknown>; password?: string } {
  const values: Record<string, unknown> = { ...props };
  let password: string | undefined;
  if (creating) {
    // Texts observed from Graph: "Property mailNickname value is required but is empty or missing." (maintainer,
    // MSGraph-SDK-Code-Generator issue 244) and "A password must be specified to create a new user."
    // (msgraph-sdk-powershell issue 3307).
    const pp = props.passwordProfile as { password?: unknown } | null | undefined;
    if (
      !pp ||
      typeof pp !== 'object' ||
      pp.password === undefined ||
      pp.password === null ||
      pp.password === ''
    )
      throw graphErrors.badRequest('A password must be specified to create a new user.');
    for (const required of ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName'])
      if (props[required] === undefined || props[required] === null || props[required] === '')
        throw graphErrors.badRequest(`Property ${required} value is required but is empty or missing.`);
  }
  const has = (k: string): boolean => k in props;
  if (has('accountEnabled') && typeof props.accountEnabled !== 'boolean')
    throw graphErrors.invalidValue('accountEnabled');
  if (has('displayName')) {
    const d = props.displayName;
    // displayName cannot be cleared (user resource).
    if (typeof d !== 'string' || d.trim() === '' || d.length > 256)
      throw graphErrors.invalidValue('displayName');
  }
  if (has('mailNickname')) {
    const n = props.mailNickname;
    if (typeof n !== 'string' || n.length === 0 || n.length > 64 || /[@()\\[\]";:<>,\s]/.test(n))
      throw graphErrors.invalidValue('mailNickname');
  }
  if (has('userPrincipalName'))
    values.userPrincipalName = validateUpn(
      tenant,
      props.userPrincipalName,
      has('onPremisesImmutableId') ? props.onPremisesImmutableId : existing.onPremisesImmutableId,
    );
  if (has('onPremisesImmutableId') && props.onPremisesImmutableId !== null) {
    const v = props.onPremisesImmutableId;
    if (typeof v !== 'string' || /[$_]/.test(v)) throw graphErrors.invalidValue('onPremisesImmutableId');
  }
  if (has('passwordProfile')) {
    const pp = props.passwordProfile as Record<string, unknown> | null;
    if (pp === null || typeof pp !== 'object') throw graphErrors.invalidValue('passwordProfile');
    password = validatePassword(pp.password);
    values.passwordProfile = {
      forceChangePasswordNextSignIn: pp.forceChangePasswordNextSignIn ?? true,
      forceChangePasswordNextSignInWithMfa: pp.forceChangePasswordNextSignInWithMfa ?? false,
    };
  }
  if (has('employeeId') && props.employeeId !== null) {
    if (typeof props.employeeId !== 'string' || props.employeeId.length > 16)
      throw graphErrors.invalidValue('employeeId');
  }
  for (const d of ['employeeHireDate', 'employeeLeaveDateTime'])
    if (has(d) && props[d] !== null) {
      if (!isDate(props[d])) throw graphErrors.invalidValue(d);
      values[d] = new Date(Date.parse(props[d] as string)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
  if (has('employeeOrgData') && props.employeeOrgData !== null) {
    const o = props.employeeOrgData as Record<string, unknown>;
    if (typeof o !== 'object' || Array.isArray(o)) throw graphErrors.invalidValue('employeeOrgData');
    for (const k of Object.keys(o))
      if (k !== 'division' && k !== 'costCenter' && !k.startsWith('@odata'))
        throw graphErrors.badRequest(
          `Property '${k}' does not exist as a declared property or extension property.`,
        );
    // "Include both property values when updating employeeOrgData; if you omit any, the system sets them to null."
    values.employeeOrgData = { division: o.division ?? null, costCenter: o.costCenter ?? null };
  }
  if (has('usageLocation') && props.usageLocation !== null) {
    if (typeof props.usageLocation !== 'string' || !/^[A-Za-z]{2}$/.test(props.usageLocation))
      throw graphErrors.invalidValue('usageLocation');
    values.usageLocation = props.usageLocation.toUpperCase();
  }
  if (has('mail') && props.mail !== null) {
    if (typeof props.mail !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.mail))
      throw graphErrors.invalidValue('mail');
  }
  for (const list of ['businessPhones', 'otherMails'])
    if (
      has(list) &&
      props[list] !== null &&
      (!Array.isArray(props[list]) || (props[list] as unknown[]).some((x) => typeof x !== 'string'))
    )
      throw graphErrors.invalidValue(list);
  return { values, password };
}
