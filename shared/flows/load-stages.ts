/** Loading of `stages:` (hire, update, leave per kind, termination / retirement playbooks, delete). */
import type {
  CharacterClass,
  HireOptions,
  InitialCredential,
  LeaveKind,
  LeaveOptions,
  Literal,
} from './model';
import {
  LEAVE_KINDS,
  STAGE_NAMES,
  type PlaybookStep,
  type StageName,
  type StageOptions,
  type StepArgument,
} from './model';
import { readExpression } from './load-expression';
import { readCondition } from './load-rules';
import {
  readBoolean,
  readEnum,
  readMap,
  readNumber,
  readSeq,
  readString,
  required,
  toPlain,
  type Located,
  type YamlContext,
} from './yaml-reader';
import { isMap } from 'yaml';

const DEFAULT_CREDENTIAL: InitialCredential = { kind: 'temporaryAccessPass', lifetimeMinutes: 480 };
const DEFAULT_HIRE: HireOptions = {
  createDaysBeforeStart: 0,
  enableOn: 'startDate',
  initialCredential: DEFAULT_CREDENTIAL,
};
const DEFAULT_LEAVE: LeaveOptions = {
  disable: true,
  revokeSessions: true,
  removeGroups: false,
  removeLicenses: false,
  playbook: [],
};
const DEFAULT_TERMINATION: LeaveOptions = {
  disable: true,
  revokeSessions: true,
  removeGroups: true,
  removeLicenses: true,
  playbook: [],
};
const CLASSES: readonly CharacterClass[] = ['lower', 'upper', 'digit', 'symbol'];

function readCredential(ctx: YamlContext, at: Located): InitialCredential | undefined {
  const m = readMap(ctx, at, ['kind', 'length', 'classes', 'words', 'lifetimeMinutes']);
  if (!m) return undefined;
  const kindAt = required(ctx, m, at, 'kind');
  const kind = kindAt && readEnum(ctx, kindAt, ['password', 'passphrase', 'temporaryAccessPass'] as const);
  const allowedFor: Record<string, string[]> = {
    password: ['length', 'classes'],
    passphrase: ['words'],
    temporaryAccessPass: ['lifetimeMinutes'],
  };
  if (!kind) return undefined;
  for (const [key, child] of m) {
    if (key !== 'kind' && !allowedFor[kind].includes(key))
      ctx.report(child, `"${key}" does not apply to kind ${kind}`);
  }
  if (kind === 'password') {
    const lenAt = m.get('length');
    // Entra accepts passwords of 8 to 256 characters.
    const length = lenAt ? readNumber(ctx, lenAt, { integer: true, min: 8, max: 256 }) : 16;
    const clAt = m.get('classes');
    let classes: CharacterClass[] = [...CLASSES];
    if (clAt) {
      classes = (readSeq(ctx, clAt) ?? [])
        .map((c) => readEnum(ctx, c, CLASSES))
        .filter((c): c is CharacterClass => !!c);
      if (classes.length < 3)
        ctx.report(clAt, 'Entra password complexity needs at least 3 of: lower, upper, digit, symbol');
    }
    return length === undefined ? undefined : { kind, length, classes };
  }
  if (kind === 'passphrase') {
    const wAt = m.get('words');
    const words = wAt ? readNumber(ctx, wAt, { integer: true, min: 3, max: 12 }) : 4;
    return words === undefined ? undefined : { kind, words };
  }
  const lAt = m.get('lifetimeMinutes');
  // Temporary Access Pass lifetime bounds documented by Entra: 10 to 43,200 minutes.
  const lifetimeMinutes = lAt ? readNumber(ctx, lAt, { integer: true, min: 10, max: 43200 }) : 480;
  return lifetimeMinutes === undefined ? undefined : { kind, lifetimeMinutes };
}

function readHire(ctx: YamlContext, at: Located | undefined): HireOptions {
  if (!at) return DEFAULT_HIRE;
  const m = readMap(ctx, at, ['createDaysBeforeStart', 'enableOn', 'initialCredential']);
  if (!m) return DEFAULT_HIRE;
  const dAt = m.get('createDaysBeforeStart');
  const eAt = m.get('enableOn');
  if (eAt) readEnum(ctx, eAt, ['startDate'] as const);
  const cAt = m.get('initialCredential');
  return {
    createDaysBeforeStart: (dAt && readNumber(ctx, dAt, { integer: true, min: 0, max: 365 })) ?? 0,
    enableOn: 'startDate',
    initialCredential: (cAt && readCredential(ctx, cAt)) ?? DEFAULT_CREDENTIAL,
  };
}

function readPlaybook(ctx: YamlContext, at: Located, fields: ReadonlySet<string>): PlaybookStep[] {
  const out: PlaybookStep[] = [];
  for (const s of readSeq(ctx, at) ?? []) {
    const m = readMap(ctx, s, ['step', 'when', 'with']);
    if (!m) continue;
    const stepAt = required(ctx, m, s, 'step');
    const step = stepAt && readString(ctx, stepAt);
    if (stepAt && step !== undefined && !/^[A-Za-z][A-Za-z0-9]*$/.test(step))
      ctx.report(stepAt, 'step names are camelCase words');
    const whenAt = m.get('when');
    const when = whenAt ? readCondition(ctx, whenAt, fields) : undefined;
    const withArgs: Record<string, StepArgument> = {};
    const withAt = m.get('with');
    const wm = withAt ? readMap(ctx, withAt) : undefined;
    for (const [key, v] of wm ?? []) {
      const isExpr =
        isMap(v.node) &&
        v.node.items.length === 1 &&
        (v.node.items[0].key as { value?: unknown })?.value === 'expr';
      if (isExpr) {
        const em = readMap(ctx, v, ['expr']);
        const exprAt = em?.get('expr');
        const expression = exprAt && readExpression(ctx, exprAt, fields);
        if (expression) withArgs[key] = { kind: 'expression', expression };
      } else {
        withArgs[key] = { kind: 'literal', value: toPlain(ctx, v) as Literal };
      }
    }
    if (step !== undefined) out.push(when ? { step, when, with: withArgs } : { step, with: withArgs });
  }
  return out;
}

function readLeaveLike(
  ctx: YamlContext,
  at: Located | undefined,
  fallback: LeaveOptions,
  fields: ReadonlySet<string>,
): LeaveOptions {
  if (!at) return fallback;
  const m = readMap(ctx, at, ['disable', 'revokeSessions', 'removeGroups', 'removeLicenses', 'playbook']);
  if (!m) return fallback;
  const flag = (k: 'disable' | 'revokeSessions' | 'removeGroups' | 'removeLicenses'): boolean => {
    const c = m.get(k);
    return (c && readBoolean(ctx, c)) ?? fallback[k];
  };
  const pAt = m.get('playbook');
  return {
    disable: flag('disable'),
    revokeSessions: flag('revokeSessions'),
    removeGroups: flag('removeGroups'),
    removeLicenses: flag('removeLicenses'),
    playbook: pAt ? readPlaybook(ctx, pAt, fields) : fallback.playbook,
  };
}

export function readStages(
  ctx: YamlContext,
  at: Located | undefined,
  fields: ReadonlySet<string>,
): StageOptions {
  const m =
    (at && readMap(ctx, at, ['run', 'hire', 'update', 'leave', 'termination', 'retirement', 'delete'])) ||
    new Map<string, Located>();
  const runAt = m.get('run');
  let run: StageName[] = ['hire', 'update', 'leave', 'termination'];
  if (runAt) {
    run = (readSeq(ctx, runAt) ?? [])
      .map((r) => readEnum(ctx, r, STAGE_NAMES))
      .filter((r): r is StageName => !!r);
  }
  const updAt = m.get('update');
  const um = updAt && readMap(ctx, updAt, ['groupRetention']);
  const grAt = um?.get('groupRetention');
  const groupRetention =
    (grAt && readEnum(ctx, grAt, ['managed-only', 'add-only', 'strict'] as const)) ?? 'managed-only';

  const leaveAt = m.get('leave');
  const lm = leaveAt && readMap(ctx, leaveAt, ['default', ...LEAVE_KINDS]);
  const leaveDefault = readLeaveLike(ctx, lm?.get('default'), DEFAULT_LEAVE, fields);
  const leave = Object.fromEntries(
    LEAVE_KINDS.map((k) => [k, readLeaveLike(ctx, lm?.get(k), leaveDefault, fields)]),
  ) as Record<LeaveKind, LeaveOptions>;

  const termination = readLeaveLike(ctx, m.get('termination'), DEFAULT_TERMINATION, fields);
  const retirement = readLeaveLike(ctx, m.get('retirement'), termination, fields);

  const delAt = m.get('delete');
  const dm = delAt && readMap(ctx, delAt, ['afterDays']);
  const adAt = dm?.get('afterDays');
  const afterDays = adAt ? readNumber(ctx, adAt, { integer: true, min: 0, max: 3650 }) : undefined;
  if (run.includes('delete') && afterDays === undefined && !adAt) {
    ctx.report(runAt ?? at!, 'stage "delete" runs but stages.delete.afterDays is not set');
  }
  return {
    run,
    hire: readHire(ctx, m.get('hire')),
    update: { groupRetention },
    leave,
    termination,
    retirement,
    delete: afterDays === undefined ? {} : { afterDays },
  };
}
