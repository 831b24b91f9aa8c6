/**
 * The playbook step kinds a flow can name (`step:` in a leave/termination playbook) and their options, parsed from
 * the evaluated `with:` values into typed, plain data. Recipients default to the worker's manager (`manager`).
 * Unknown kinds and bad options are TENURE_MAPPING errors naming the step and option, never the values.
 */
import { TenureError } from '../engine/errors';
import type { JsonValue } from '../engine/plan/model';

/** `manager` stands for the worker's manager; anything else is an address (UPN or SMTP). */
export type Recipient = 'manager' | { readonly address: string };

export type StepOptions =
  | { readonly kind: 'litigationHold'; readonly durationDays?: number; readonly releaseOnReturn: boolean }
  | { readonly kind: 'convertToSharedMailbox' }
  | {
      readonly kind: 'grantMailboxAccess';
      readonly to: readonly Recipient[];
      readonly fullAccess: boolean;
      readonly sendAs: boolean;
      readonly autoMapping: boolean;
      /** Remove the Full Access / Send As granted here when the worker returns (default: keep). */
      readonly revokeOnReturn: boolean;
    }
  | {
      readonly kind: 'setAutoReply';
      readonly internalMessage: string;
      readonly externalMessage: string;
      readonly externalAudience: 'None' | 'Known' | 'All';
    }
  | { readonly kind: 'forwardMail'; readonly to: Recipient; readonly keepCopy: boolean }
  | { readonly kind: 'hideFromAddressLists' }
  | { readonly kind: 'removeAliases' }
  | { readonly kind: 'setDisplayName'; readonly value: string }
  | {
      readonly kind: 'shareOneDrive';
      readonly to: readonly Recipient[];
      readonly role: 'read' | 'write';
      /** Remove the OneDrive grant made here when the worker returns (default: keep). */
      readonly revokeOnReturn: boolean;
    };

export type StepKind = StepOptions['kind'];

export const STEP_KINDS: readonly StepKind[] = [
  'litigationHold',
  'convertToSharedMailbox',
  'grantMailboxAccess',
  'setAutoReply',
  'forwardMail',
  'hideFromAddressLists',
  'removeAliases',
  'setDisplayName',
  'shareOneDrive',
];

/**
 * Steps undone when the worker returns (rehire, end of leave); litigation hold only with `releaseOnReturn`, granted
 * mailbox access and the OneDrive share only with `revokeOnReturn`.
 */
export const REVERSIBLE: ReadonlySet<StepKind> = new Set<StepKind>([
  'convertToSharedMailbox',
  'grantMailboxAccess',
  'setAutoReply',
  'forwardMail',
  'hideFromAddressLists',
  'litigationHold',
  'shareOneDrive',
]);

/** Steps that act on the Exchange mailbox (the rest: OneDrive, directory). */
export const MAILBOX_STEPS: ReadonlySet<StepKind> = new Set<StepKind>([
  'litigationHold',
  'convertToSharedMailbox',
  'grantMailboxAccess',
  'setAutoReply',
  'forwardMail',
  'hideFromAddressLists',
  'removeAliases',
]);

export function isStepKind(v: string): v is StepKind {
  return (STEP_KINDS as readonly string[]).includes(v);
}

type Values = Readonly<Record<string, JsonValue>>;

function bad(step: string, option: string, why: string): never {
  throw new TenureError('TENURE_MAPPING', `Playbook step ${step}: option "${option}" ${why}.`, {
    target: `${step}.${option}`,
  });
}

function bool(v: Values, step: string, key: string, dflt: boolean): boolean {
  const x = v[key];
  if (x === undefined || x === null) return dflt;
  if (typeof x !== 'boolean') bad(step, key, 'must be true or false');
  return x;
}

function text(v: Values, step: string, key: string, required: boolean): string {
  const x = v[key];
  if (x === undefined || x === null || x === '') {
    if (required) bad(step, key, 'is required');
    return '';
  }
  if (typeof x !== 'string') bad(step, key, 'must be text');
  return x;
}

function oneOf<T extends string>(v: Values, step: string, key: string, allowed: readonly T[], dflt: T): T {
  const x = v[key];
  if (x === undefined || x === null) return dflt;
  const found = allowed.find((a) => typeof x === 'string' && a.toLowerCase() === x.toLowerCase());
  if (!found) bad(step, key, `must be one of ${allowed.join(', ')}`);
  return found;
}

function recipient(x: JsonValue, step: string, key: string): Recipient {
  if (typeof x !== 'string' || x.trim() === '') bad(step, key, 'must name addresses or "manager"');
  if (x.trim().toLowerCase() === 'manager') return 'manager';
  if (!x.includes('@')) bad(step, key, 'must be an e-mail address or "manager"');
  return { address: x.trim().toLowerCase() };
}

function recipients(v: Values, step: string, key: string): Recipient[] {
  const x = v[key];
  if (x === undefined || x === null) return ['manager'];
  const list = Array.isArray(x)
    ? x
    : typeof x === 'string'
      ? x.split(/[;,]/)
      : bad(step, key, 'must be a list');
  const out = list.map((r) => recipient(typeof r === 'string' ? r.trim() : r, step, key));
  if (out.length === 0) bad(step, key, 'must name at least one recipient');
  return out;
}

/** Typed options of one step from its evaluated `with:` values. */
export function parseStep(step: string, v: Values): StepOptions {
  switch (step) {
    case 'litigationHold': {
      const d = v.durationDays;
      if (d !== undefined && d !== null && (typeof d !== 'number' || !Number.isInteger(d) || d <= 0))
        bad(step, 'durationDays', 'must be a positive whole number');
      return {
        kind: step,
        ...(typeof d === 'number' ? { durationDays: d } : {}),
        releaseOnReturn: bool(v, step, 'releaseOnReturn', false),
      };
    }
    case 'convertToSharedMailbox':
    case 'hideFromAddressLists':
    case 'removeAliases':
      return { kind: step };
    case 'grantMailboxAccess':
      return {
        kind: step,
        to: recipients(v, step, 'to'),
        fullAccess: bool(v, step, 'fullAccess', true),
        sendAs: bool(v, step, 'sendAs', true),
        autoMapping: bool(v, step, 'autoMapping', true),
        revokeOnReturn: bool(v, step, 'revokeOnReturn', false),
      };
    case 'setAutoReply': {
      const internalMessage = text(v, step, 'internalMessage', true);
      return {
        kind: step,
        internalMessage,
        externalMessage: text(v, step, 'externalMessage', false) || internalMessage,
        externalAudience: oneOf(v, step, 'externalAudience', ['None', 'Known', 'All'] as const, 'All'),
      };
    }
    case 'forwardMail': {
      const to = v.to === undefined || v.to === null ? 'manager' : recipient(v.to, step, 'to');
      return { kind: step, to, keepCopy: bool(v, step, 'keepCopy', true) };
    }
    case 'setDisplayName':
      return { kind: step, value: text(v, step, 'value', true) };
    case 'shareOneDrive':
      return {
        kind: step,
        to: recipients(v, step, 'to'),
        role: oneOf(v, step, 'role', ['read', 'write'] as const, 'write'),
        revokeOnReturn: bool(v, step, 'revokeOnReturn', false),
      };
    default:
      throw new TenureError('TENURE_MAPPING', `Unknown playbook step "${step}".`, { target: step });
  }
}
