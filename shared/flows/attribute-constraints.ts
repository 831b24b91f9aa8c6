/**
 * Value rules Microsoft Graph documents for user properties (user resource page): maximum lengths, the
 * two-letter usageLocation, the single business phone of cloud users, enumerations, and no accented
 * characters in UPN / mail / otherMails. Checked before a value reaches Graph so an admin sees the attribute
 * and the rule, not a 400 from Graph. Problems name the rule, never the value.
 */
import type { JsonValue } from '../expressions/evaluate';

const MAX_LENGTH: Readonly<Record<string, number>> = {
  city: 128,
  companyName: 64,
  country: 128,
  department: 64,
  displayName: 256,
  givenName: 64,
  jobTitle: 128,
  mobilePhone: 64,
  postalCode: 40,
  state: 128,
  streetAddress: 1024,
  surname: 64,
};

const ENUMS: Readonly<Record<string, readonly string[]>> = {
  ageGroup: ['minor', 'notAdult', 'adult'],
  consentProvidedForMinor: ['granted', 'denied', 'notRequired'],
};

const ASCII_ADDRESS = /^[\x21-\x7e]+@[\x21-\x7e]+$/;

/** Returns the rule a mapped value breaks, or undefined when Graph will accept it. */
export function attributeProblem(attribute: string, value: JsonValue): string | undefined {
  const max = MAX_LENGTH[attribute];
  if (max !== undefined && typeof value === 'string' && [...value].length > max)
    return `longer than ${max} characters`;
  if (attribute === 'usageLocation' && !(typeof value === 'string' && /^[A-Z]{2}$/.test(value))) {
    return 'must be a two-letter upper-case ISO 3166 country code (e.g. US, GB)';
  }
  if (attribute === 'businessPhones' && Array.isArray(value) && value.length > 1)
    return 'cloud users can have only one business phone';
  if (
    attribute === 'otherMails' &&
    Array.isArray(value) &&
    value.some((v) => !ASCII_ADDRESS.test(String(v)))
  ) {
    return 'every entry must be an e-mail address without accented characters';
  }
  if (
    attribute === 'preferredLanguage' &&
    !(typeof value === 'string' && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value))
  ) {
    return 'must be a language tag such as en-US';
  }
  if (
    (attribute === 'employeeHireDate' || attribute === 'employeeLeaveDateTime') &&
    !(typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value))
  ) {
    return 'must be a date/time (ISO 8601)';
  }
  if (attribute === 'showInAddressList' && typeof value !== 'boolean') return 'must be True or False';
  const allowed = ENUMS[attribute];
  if (allowed && !(typeof value === 'string' && allowed.includes(value)))
    return `must be one of ${allowed.join(', ')}`;
  return undefined;
}

/** Graph rules for naming values: UPN and mail are ASCII addresses; mailNickname is a 64-character alias. */
export function namingProblem(
  kind: 'userPrincipalName' | 'mailNickname' | 'mail',
  value: string,
): string | undefined {
  if (kind === 'mailNickname') {
    if ([...value].length > 64) return 'longer than 64 characters';
    return /^[\x21-\x7e]+$/.test(value) && !/[@()\\[\]";:<>,]/.test(value)
      ? undefined
      : 'must be ASCII without spaces or any of @ ( ) \\ [ ] " ; : < > ,';
  }
  if (!ASCII_ADDRESS.test(value)) return 'must be name@domain without spaces or accented characters';
  if (kind === 'userPrincipalName' && value.split('@')[0].length > 64)
    return 'the part before @ is longer than 64 characters';
  return undefined;
}
