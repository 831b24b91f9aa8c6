// Account lifecycle: create, restore, delete, enable/disable, revoke sessions, initial credential, attributes.
import { TenureError } from '../errors';
import { planCreateUser } from '../ops/createUser';
import { planDeleteUser } from '../ops/deleteUser';
import { planDisableUser } from '../ops/disableUser';
import { planEnableUser } from '../ops/enableUser';
import { planRestoreUser } from '../ops/restoreUser';
import { planRevokeSessions } from '../ops/revokeSessions';
import { planSetInitialCredential } from '../ops/setInitialCredential';
import { planUpdateUser } from '../ops/updateUser';
import type { JsonValue, Reason } from '../plan/model';
import { diffAttributes } from './diff';
import { accountDeps, isLeaverPhase, runs, type PlanningContext } from './context';

const DAY_MS = 86_400_000;

/** Whether the account should be enabled in this phase; undefined: leave it as it is. */
export function desiredEnabled(ctx: PlanningContext): boolean | undefined {
  switch (ctx.desired.decision.phase) {
    case 'notYet':
    case 'prehire':
      return false;
    case 'active':
      return true;
    case 'leave':
      return ctx.leaverActions ? !ctx.leaverActions.disable : undefined;
    case 'terminated':
    case 'retired':
      return ctx.leaverActions?.disable ? false : undefined;
    case 'deleted':
      return undefined;
  }
}

function namingValues(ctx: PlanningContext): Record<string, JsonValue> {
  const free = ctx.observed.freeNames;
  if (!free.userPrincipalName) {
    throw new TenureError('TENURE_NAMING_EXHAUSTED', 'Every userPrincipalName candidate is taken.', {
      workerId: ctx.desired.employeeId,
      target: 'userPrincipalName',
    });
  }
  const names: Record<string, JsonValue> = {
    userPrincipalName: free.userPrincipalName,
    mailNickname: free.mailNickname ?? free.userPrincipalName.split('@')[0],
  };
  if (free.mail) names.mail = free.mail;
  return names;
}

function canReuseDeleted(ctx: PlanningContext, now: Date): boolean {
  const user = ctx.observed.user;
  if (!user?.deleted) return false;
  if (!user.deletedDateTime) return true;
  return now.getTime() - Date.parse(user.deletedDateTime) <= ctx.policy.reuseAccountWithinDays * DAY_MS;
}

/** Creates, restores or deletes the account. Returns false when nothing else should be planned. */
export function planAccount(ctx: PlanningContext, now: Date): boolean {
  const { phase } = ctx.desired.decision;
  const user = ctx.observed.user;
  const live = user !== null && !user.deleted;
  if (phase === 'deleted') {
    if (live && runs(ctx, 'delete')) ctx.ops.push(planDeleteUser(ctx.target));
    return false;
  }
  if (live) return true;
  if (isLeaverPhase(ctx) || phase === 'notYet') return false;
  if (user && canReuseDeleted(ctx, now)) {
    const op = planRestoreUser({ ...ctx.target, objectId: user.id }, user.id);
    ctx.ops.push(op);
    ctx.accountOpId = op.id;
    return true;
  }
  if (!runs(ctx, 'hire')) return false;
  const enabled = desiredEnabled(ctx) ?? false;
  const attributes = { ...ctx.desired.attributes, ...namingValues(ctx) };
  const op = planCreateUser(
    ctx.target,
    attributes,
    enabled,
    ctx.policy.credential,
    phase === 'prehire' ? 'preHire' : 'hire',
  );
  ctx.ops.push(op);
  ctx.accountOpId = op.id;
  ctx.created = true;
  if (ctx.policy.credential.kind === 'temporaryAccessPass') {
    ctx.ops.push(planSetInitialCredential(ctx.target, ctx.policy.credential, [op.id]));
  }
  return true;
}

function sameName(a: JsonValue | undefined, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** Attribute and naming updates of an existing (or just restored) account. Returns the attribute op id, if any. */
export function planAttributes(ctx: PlanningContext): string | undefined {
  if (ctx.created || !runs(ctx, 'update') || !ctx.observed.user) return undefined;
  const observedAttrs = ctx.observed.user.attributes;
  const { before, after } = diffAttributes(ctx.desired.attributes, observedAttrs);
  let id: string | undefined;
  if (Object.keys(after).length > 0) {
    const op = planUpdateUser(ctx.target, before, after, 'attributeChanged', accountDeps(ctx));
    ctx.ops.push(op);
    id = op.id;
  }
  // Renames: only when the current value is no longer one of the flow's candidates (no churn otherwise).
  const renameBefore: Record<string, JsonValue> = {};
  const renameAfter: Record<string, JsonValue> = {};
  for (const attr of ['userPrincipalName', 'mailNickname', 'mail'] as const) {
    const candidates = ctx.desired.naming[attr];
    const free = ctx.observed.freeNames[attr];
    if (candidates.length === 0 || !free) continue;
    if (candidates.some((c) => sameName(observedAttrs[attr], c))) continue;
    renameBefore[attr] = observedAttrs[attr] ?? null;
    renameAfter[attr] = free;
  }
  if (Object.keys(renameAfter).length > 0) {
    const op = planUpdateUser(ctx.target, renameBefore, renameAfter, 'nameChanged', accountDeps(ctx));
    ctx.ops.push(op);
  }
  return id;
}

function enableReason(ctx: PlanningContext): Reason {
  const prev = ctx.desired.previousPhase;
  if (prev === 'leave') return 'leaveEnded';
  if (
    prev === 'terminated' ||
    prev === 'retired' ||
    prev === 'deleted' ||
    ctx.accountOpId === 'restoreUser'
  ) {
    return 'rehire';
  }
  return 'startDateReached';
}

function disableReason(ctx: PlanningContext): Reason {
  switch (ctx.desired.decision.phase) {
    case 'leave':
      return 'leaveStarted';
    case 'terminated':
      return 'terminated';
    case 'retired':
      return 'retired';
    default:
      return 'preHire';
  }
}

/** Enable/disable and session revocation. */
export function planEnablement(ctx: PlanningContext): void {
  if (ctx.created || !ctx.observed.user) return;
  const want = desiredEnabled(ctx);
  if (want === undefined) return;
  const current = ctx.observed.user.accountEnabled;
  if (want === current) return;
  if (want) {
    ctx.ops.push(planEnableUser(ctx.target, enableReason(ctx), accountDeps(ctx)));
    return;
  }
  const disable = planDisableUser(ctx.target, disableReason(ctx), accountDeps(ctx));
  ctx.ops.push(disable);
  if (ctx.leaverActions?.revokeSessions) {
    ctx.ops.push(planRevokeSessions(ctx.target, disableReason(ctx), [disable.id]));
  }
}
