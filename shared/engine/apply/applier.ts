/**
 * Applies a plan: operations in dependency levels (every operation of a level runs concurrently, so the Graph
 * client can batch them), each result recorded with its before/after. A failed operation skips its dependents;
 * independent operations still run. Returns every result; the caller decides what a failure means.
 */
import { toTenureError, type TenureError } from '../errors';
import { OP_MODULES, type OpRegistry } from '../ops/index';
import type { Operation, OperationKind, Plan } from '../plan/model';
import type { ApplyContext, OpModule, OpOutcome } from './context';

export type OpResultStatus = 'applied' | 'skipped' | 'failed' | 'notRun';

export interface OpResult {
  readonly id: string;
  readonly kind: OperationKind;
  readonly status: OpResultStatus;
  readonly before: Operation['before'];
  readonly after: Operation['after'];
  readonly detail?: OpOutcome['detail'];
  readonly error?: { readonly code: string; readonly message: string; readonly terminal: boolean };
}

export interface ApplyResult {
  readonly results: readonly OpResult[];
  /** The worker's object id after applying (set by createUser/restoreUser). */
  readonly objectId: string | null;
  /** First terminal error, else first error; undefined when everything applied. */
  readonly error?: TenureError;
}

/** Dependency levels: level n holds operations whose dependencies are all in levels < n (plan order kept). */
export function levels(operations: readonly Operation[]): Operation[][] {
  const level = new Map<string, number>();
  const byId = new Map(operations.map((o) => [o.id, o]));
  const depth = (op: Operation): number => {
    const known = level.get(op.id);
    if (known !== undefined) return known;
    const d = op.dependsOn.reduce((m, dep) => Math.max(m, depth(byId.get(dep)!) + 1), 0);
    level.set(op.id, d);
    return d;
  };
  const out: Operation[][] = [];
  for (const op of operations) (out[depth(op)] ??= []).push(op);
  return out.filter((l) => l !== undefined);
}

export async function applyPlan(
  plan: Plan,
  ctx: ApplyContext,
  registry: OpRegistry = OP_MODULES,
): Promise<ApplyResult> {
  const results = new Map<string, OpResult>();
  let firstError: TenureError | undefined;
  for (const level of levels(plan.operations)) {
    await Promise.all(
      level.map(async (op) => {
        const base = { id: op.id, kind: op.kind, before: op.before, after: op.after };
        if (
          op.dependsOn.some((d) => results.get(d)?.status === 'failed' || results.get(d)?.status === 'notRun')
        ) {
          results.set(op.id, { ...base, status: 'notRun' });
          return;
        }
        try {
          const module = registry[op.kind] as OpModule<typeof op.kind>;
          const outcome = await module.apply(op as never, ctx);
          results.set(op.id, {
            ...base,
            status: outcome.status,
            ...(outcome.detail ? { detail: outcome.detail } : {}),
          });
        } catch (thrown) {
          const err = toTenureError(thrown).withDetails({
            operationKind: op.kind,
            operationId: op.id,
            workerId: op.target.employeeId,
          });
          if (!firstError || (err.terminal && !firstError.terminal)) firstError = err;
          results.set(op.id, {
            ...base,
            status: 'failed',
            error: { code: err.code, message: err.message, terminal: err.terminal },
          });
        }
      }),
    );
  }
  return {
    results: plan.operations.map((o) => results.get(o.id)!),
    objectId: ctx.objectId,
    ...(firstError ? { error: firstError } : {}),
  };
}
