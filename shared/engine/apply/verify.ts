/**
 * Apply checks its output against the plan: after applying, the affected user is read back (the Graph client
 * tolerates replication lag on objects Tenure just wrote) and every planned after-value of an applied operation is
 * compared with what the directory now says. A mismatch is reported, never silently ignored: the caller records
 * it in the timeline and schedules a follow-up reconcile.
 */
import { sameAttributeValue } from '../planner/diff';
import type { JsonValue, Operation, Plan } from '../plan/model';
import type { Directory } from '../ports';
import type { OpResult } from './applier';

export interface Mismatch {
  readonly operationId: string;
  readonly kind: Operation['kind'];
  /** Attribute name, `accountEnabled`, `group:<ref>`, `license:<ref>`, `manager` or `deleted`. */
  readonly field: string;
  readonly planned: JsonValue;
  readonly actual: JsonValue;
}

/** What the directory says after applying (only the parts the applied operations touched). */
export interface ReadBack {
  /** null when the account is not found among live users (deleted or not there). */
  readonly user: { readonly accountEnabled: boolean; readonly attributes: Record<string, JsonValue> } | null;
  readonly groupIds?: readonly string[];
  readonly skuIds?: readonly string[];
  readonly managerId?: string | null;
}

const ATTRIBUTE_KINDS = new Set<Operation['kind']>(['createUser', 'updateUser', 'enableUser', 'disableUser']);

function appliedOps(plan: Plan, results: readonly OpResult[]): Operation[] {
  const applied = new Set(results.filter((r) => r.status === 'applied').map((r) => r.id));
  return plan.operations.filter((o) => applied.has(o.id));
}

/** What to read back for these results (pure). */
export function readBackNeeds(plan: Plan, results: readonly OpResult[]) {
  const ops = appliedOps(plan, results);
  const has = (...kinds: Operation['kind'][]) => ops.some((o) => kinds.includes(o.kind));
  // Attributes the applied operations wrote: permission-gated ones are read back only when named.
  const attributes = [
    ...new Set(ops.flatMap((o) => (ATTRIBUTE_KINDS.has(o.kind) && 'after' in o ? Object.keys(o.after) : []))),
  ].sort();
  return {
    any:
      has(...ATTRIBUTE_KINDS, 'restoreUser', 'deleteUser', 'addGroupMember', 'removeGroupMember') ||
      has('assignLicenses', 'removeLicenses', 'setManager', 'removeManager'),
    attributes,
    groups: has('addGroupMember', 'removeGroupMember'),
    licenses: has('assignLicenses', 'removeLicenses'),
    manager: has('setManager', 'removeManager'),
  };
}

/** Reads the user back through the directory port. */
export async function readBack(
  directory: Directory,
  objectId: string,
  needs: ReturnType<typeof readBackNeeds>,
): Promise<ReadBack> {
  const user = await directory.getUser(objectId, needs.attributes);
  if (!user || user.deleted) return { user: null };
  return {
    user: { accountEnabled: user.accountEnabled, attributes: { ...user.attributes } },
    groupIds: needs.groups ? await directory.listGroupIds(objectId) : undefined,
    skuIds: needs.licenses ? await directory.listLicenseSkuIds(objectId) : undefined,
    managerId: needs.manager ? await directory.managerId(objectId) : undefined,
  };
}

/** Every planned after-value of an applied operation that the read-back contradicts (pure). */
export function compareWithPlan(plan: Plan, results: readonly OpResult[], seen: ReadBack): Mismatch[] {
  const out: Mismatch[] = [];
  const miss = (op: Operation, field: string, planned: JsonValue, actual: JsonValue) =>
    out.push({ operationId: op.id, kind: op.kind, field, planned, actual });
  for (const op of appliedOps(plan, results)) {
    if (op.kind === 'deleteUser') {
      if (seen.user) miss(op, 'deleted', true, false);
      continue;
    }
    if (!seen.user) {
      if (ATTRIBUTE_KINDS.has(op.kind) || op.kind === 'restoreUser') miss(op, 'deleted', false, true);
      continue;
    }
    const user = seen.user;
    switch (op.kind) {
      case 'createUser':
      case 'updateUser':
      case 'enableUser':
      case 'disableUser':
        for (const [field, planned] of Object.entries(op.after)) {
          if (field === 'accountEnabled') {
            if (user.accountEnabled !== planned) miss(op, field, planned, user.accountEnabled);
            continue;
          }
          // Attributes outside the read selection cannot be checked; naming values compare case-insensitively.
          if (!(field in user.attributes)) continue;
          const actual = user.attributes[field] ?? null;
          const naming = field === 'userPrincipalName' || field === 'mail' || field === 'mailNickname';
          const equal =
            naming && typeof planned === 'string' && typeof actual === 'string'
              ? planned.toLowerCase() === actual.toLowerCase()
              : sameAttributeValue(field, planned, actual);
          if (!equal) miss(op, field, planned, actual);
        }
        break;
      case 'addGroupMember':
      case 'removeGroupMember':
        if (seen.groupIds) {
          const member = seen.groupIds.includes(op.params.groupId);
          if (member !== (op.kind === 'addGroupMember'))
            miss(op, `group:${op.params.groupRef}`, op.kind === 'addGroupMember', member);
        }
        break;
      case 'assignLicenses':
      case 'removeLicenses':
        if (seen.skuIds)
          op.params.skuIds.forEach((skuId, i) => {
            const held = seen.skuIds!.includes(skuId);
            if (held !== (op.kind === 'assignLicenses'))
              miss(op, `license:${op.params.skuRefs[i] ?? skuId}`, op.kind === 'assignLicenses', held);
          });
        break;
      case 'setManager':
        if (seen.managerId !== undefined && seen.managerId !== op.params.managerObjectId)
          miss(op, 'manager', op.params.managerObjectId, seen.managerId);
        break;
      case 'removeManager':
        if (seen.managerId !== undefined && seen.managerId !== null)
          miss(op, 'manager', null, seen.managerId);
        break;
      default:
        break;
    }
  }
  return out;
}
