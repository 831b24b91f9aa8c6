// Groups and licences: grants, retention modes on update, and removal on leave/termination per the playbook.
import { TenureError } from '../errors';
import { planAddGroupMember } from '../ops/addGroupMember';
import { planAssignLicenses } from '../ops/assignLicenses';
import { planRemoveGroupMember } from '../ops/removeGroupMember';
import { planRemoveLicenses } from '../ops/removeLicenses';
import type { Reason } from '../plan/model';
import { accountDeps, runs, type PlanningContext } from './context';

interface Ref {
  readonly ref: string;
  readonly id: string;
}

function resolve(
  ctx: PlanningContext,
  refs: readonly string[],
  table: Readonly<Record<string, string>>,
  what: string,
): Ref[] {
  return refs.map((ref) => {
    const id = table[ref];
    if (!id) {
      throw new TenureError(
        'TENURE_UNRESOLVED_REFERENCE',
        `The flow's ${what} reference "${ref}" was not found in the tenant.`,
        {
          workerId: ctx.desired.employeeId,
          target: ref,
        },
      );
    }
    return { ref, id };
  });
}

/** Managed references that resolve; unresolvable ones cannot be held by anyone, so they are skipped. */
function resolveManaged(refs: readonly string[], table: Readonly<Record<string, string>>): Set<string> {
  return new Set(refs.map((r) => table[r]).filter((id): id is string => id !== undefined));
}

function nameOf(id: string, refs: readonly Ref[], table: Readonly<Record<string, string>>): string {
  return refs.find((r) => r.id === id)?.ref ?? Object.keys(table).find((k) => table[k] === id) ?? id;
}

function leaverReason(ctx: PlanningContext): Reason {
  const phase = ctx.desired.decision.phase;
  return phase === 'terminated' ? 'terminated' : phase === 'retired' ? 'retired' : 'leaveStarted';
}

interface Delta {
  add: Ref[];
  remove: Ref[];
  reasonRemove: Reason;
}

function computeDelta(
  ctx: PlanningContext,
  set: { granted: readonly string[]; managed: readonly string[] },
  table: Readonly<Record<string, string>>,
  current: readonly string[],
  removeAll: boolean | undefined,
  what: string,
): Delta {
  const have = new Set(ctx.created ? [] : current);
  const managed = resolveManaged(set.managed, table);
  const retention = ctx.policy.groupRetention;
  const toRef = (id: string, refs: Ref[]): Ref => ({ ref: nameOf(id, refs, table), id });
  if (removeAll) {
    const remove = [...have].filter((id) => retention === 'strict' || managed.has(id));
    return { add: [], remove: remove.map((id) => toRef(id, [])), reasonRemove: leaverReason(ctx) };
  }
  if (!ctx.created && !runs(ctx, 'update'))
    return { add: [], remove: [], reasonRemove: 'groupNoLongerGranted' };
  const granted = resolve(ctx, set.granted, table, what);
  const grantedIds = new Set(granted.map((g) => g.id));
  const add = granted.filter((g) => !have.has(g.id));
  const remove =
    retention === 'add-only'
      ? []
      : [...have].filter((id) => !grantedIds.has(id) && (retention === 'strict' || managed.has(id)));
  return { add, remove: remove.map((id) => toRef(id, granted)), reasonRemove: 'groupNoLongerGranted' };
}

export function planGroups(ctx: PlanningContext): void {
  const d = computeDelta(
    ctx,
    ctx.desired.groups,
    ctx.observed.resolved.groups,
    ctx.observed.groups,
    ctx.leaverActions?.removeGroups,
    'group',
  );
  for (const g of d.add)
    ctx.ops.push(planAddGroupMember(ctx.target, g.ref, g.id, 'groupGranted', accountDeps(ctx)));
  for (const g of d.remove) {
    ctx.ops.push(planRemoveGroupMember(ctx.target, g.ref, g.id, d.reasonRemove, accountDeps(ctx)));
  }
}

/** Licences; assignment waits for the op that sets usageLocation (Graph refuses licences without it). */
export function planLicenses(ctx: PlanningContext, attributeOpId: string | undefined): void {
  const d = computeDelta(
    ctx,
    ctx.desired.licenses,
    ctx.observed.resolved.skus,
    ctx.observed.licenses,
    ctx.leaverActions?.removeLicenses,
    'licence',
  );
  const reasonRemove: Reason =
    d.reasonRemove === 'groupNoLongerGranted' ? 'licenseNoLongerGranted' : d.reasonRemove;
  if (d.remove.length > 0)
    ctx.ops.push(planRemoveLicenses(ctx.target, d.remove, reasonRemove, accountDeps(ctx)));
  if (d.add.length > 0) {
    const deps = attributeOpId ? [...accountDeps(ctx), attributeOpId] : accountDeps(ctx);
    ctx.ops.push(planAssignLicenses(ctx.target, d.add, 'licenseGranted', deps));
  }
}
