/**
 * Computes a worker's desired Entra attributes and naming candidates from a validated HR record. Pure given
 * the evaluation clock and random source; expression errors are returned per attribute, never thrown, so one
 * bad value cannot hide the others.
 */
import type { CompiledExpression } from '../expressions/compiler';
import { parseDateLoose } from '../expressions/dotnet-date-parse';
import { ExpressionError } from '../expressions/errors';
import { evaluateExpression, type JsonValue } from '../expressions/evaluate';
import { MULTI_VALUED_ATTRIBUTES } from './entra-attributes';
import { attributeProblem, namingProblem } from './attribute-constraints';
import { evaluateCondition } from './conditions';
import type { Flow, Literal, PlaybookStep } from './model';

export interface MappingClock {
  readonly now: Date;
  readonly random: () => number;
}

export interface AttributeError {
  readonly attribute: string;
  readonly code: string;
  /** Names functions and positions only, never HR values. */
  readonly message: string;
}

export interface MappedAttributes {
  /** Attribute → value to write. Attributes whose expression yielded no value are absent (see `skipped`). */
  readonly attributes: Readonly<Record<string, JsonValue>>;
  readonly skipped: readonly string[];
  /** Attributes whose expression used Redact: print "[Redact]" instead of their value. */
  readonly redacted: readonly string[];
  readonly errors: readonly AttributeError[];
}

const DATE_ATTRIBUTES = new Set(['employeeHireDate', 'employeeLeaveDateTime']);
const BOOLEAN_ATTRIBUTES = new Set(['showInAddressList']);

/** Graph wants DateTimeOffset values in ISO 8601; expressions produce display dates or HR date strings. */
function normalise(attribute: string, value: JsonValue): JsonValue {
  if (DATE_ATTRIBUTES.has(attribute) && typeof value === 'string') {
    const p = parseDateLoose(value);
    if (p) return new Date(p.ms).toISOString().replace('.000Z', 'Z');
  }
  if (MULTI_VALUED_ATTRIBUTES.has(attribute) && !Array.isArray(value)) return [String(value)];
  if (
    BOOLEAN_ATTRIBUTES.has(attribute) &&
    typeof value === 'string' &&
    /^(true|false)$/i.test(value.trim())
  ) {
    return value.trim().toLowerCase() === 'true';
  }
  return value;
}

export function evaluateAttributes(
  flow: Pick<Flow, 'attributes'>,
  record: Readonly<Record<string, unknown>>,
  clock: MappingClock,
): MappedAttributes {
  const attributes: Record<string, JsonValue> = {};
  const skipped: string[] = [];
  const redacted: string[] = [];
  const errors: AttributeError[] = [];
  for (const [name, expr] of Object.entries(flow.attributes)) {
    try {
      const r = evaluateExpression(expr, { attributes: record, now: clock.now, random: clock.random });
      if (r.redacted) redacted.push(name);
      if (r.kind === 'skip') {
        skipped.push(name);
        continue;
      }
      const value = normalise(name, r.value);
      const problem = attributeProblem(name, value);
      if (problem)
        errors.push({ attribute: name, code: 'TENURE_ATTRIBUTE_INVALID', message: `${name}: ${problem}` });
      else attributes[name] = value;
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      errors.push({ attribute: name, code: err.code, message: err.message });
    }
  }
  return { attributes, skipped, redacted, errors };
}

export type NamingAttribute = 'userPrincipalName' | 'mailNickname' | 'mail';

export interface NamingCandidates {
  readonly userPrincipalName: readonly string[];
  readonly mailNickname: readonly string[];
  readonly mail: readonly string[];
  readonly errors: readonly AttributeError[];
}

function candidatesOf(
  name: NamingAttribute,
  list: readonly CompiledExpression[],
  record: Readonly<Record<string, unknown>>,
  clock: MappingClock,
  errors: AttributeError[],
): string[] {
  const out: string[] = [];
  for (const expr of list) {
    try {
      const r = evaluateExpression(expr, { attributes: record, now: clock.now, random: clock.random });
      const values =
        r.candidates ??
        (r.kind === 'value' ? [Array.isArray(r.value) ? String(r.value[0] ?? '') : String(r.value)] : []);
      for (const v of values) {
        if (v === '' || out.includes(v)) continue;
        const problem = namingProblem(name, v);
        if (problem)
          errors.push({
            attribute: name,
            code: 'TENURE_ATTRIBUTE_INVALID',
            message: `${name} candidate: ${problem}`,
          });
        else out.push(v);
      }
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      errors.push({ attribute: name, code: err.code, message: err.message });
    }
  }
  return out;
}

/**
 * Ordered, de-duplicated candidates for each naming attribute (SelectUniqueValue contributes all of its
 * rules). The reconciler's uniqueness step picks the first candidate not taken in the directory.
 */
export function namingCandidates(
  flow: Pick<Flow, 'naming'>,
  record: Readonly<Record<string, unknown>>,
  clock: MappingClock,
): NamingCandidates {
  const errors: AttributeError[] = [];
  return {
    userPrincipalName: candidatesOf(
      'userPrincipalName',
      flow.naming.userPrincipalName,
      record,
      clock,
      errors,
    ),
    mailNickname: candidatesOf('mailNickname', flow.naming.mailNickname, record, clock, errors),
    mail: candidatesOf('mail', flow.naming.mail, record, clock, errors),
    errors,
  };
}

/** First candidate not taken (comparison is case-insensitive, as Entra treats UPNs and addresses). */
export function firstUntaken(
  candidates: readonly string[],
  taken: (value: string) => boolean,
): string | undefined {
  return candidates.find((c) => !taken(c));
}

export function takenSet(values: readonly string[]): (value: string) => boolean {
  const set = new Set(values.map((v) => v.toLowerCase()));
  return (v) => set.has(v.toLowerCase());
}

/** Whether a playbook step applies to this worker (no `when` means always). */
export function stepApplies(step: PlaybookStep, record: Readonly<Record<string, unknown>>): boolean {
  return !step.when || evaluateCondition(step.when, record);
}

export interface StepArguments {
  /** Option → value; literals as written, expressions evaluated (a skipped expression gives null). */
  readonly values: Readonly<Record<string, Literal | JsonValue>>;
  readonly errors: readonly AttributeError[];
}

/** Resolves a playbook step's `with:` options for one worker. */
export function evaluateStepArguments(
  step: PlaybookStep,
  record: Readonly<Record<string, unknown>>,
  clock: MappingClock,
): StepArguments {
  const values: Record<string, Literal | JsonValue> = {};
  const errors: AttributeError[] = [];
  for (const [key, arg] of Object.entries(step.with)) {
    if (arg.kind === 'literal') {
      values[key] = arg.value;
      continue;
    }
    try {
      const r = evaluateExpression(arg.expression, {
        attributes: record,
        now: clock.now,
        random: clock.random,
      });
      values[key] = r.kind === 'value' ? r.value : null;
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      errors.push({ attribute: `${step.step}.${key}`, code: err.code, message: err.message });
    }
  }
  return { values, errors };
}
