// Plan encode/decode: JSON text with a schema version, validated on the way in so a stored or posted plan that
// is malformed, from another schema, or has dangling/cyclic dependencies is refused with TENURE_PLAN_INVALID.
import { TenureError } from '../errors';
import { PLAYBOOK_OPERATION_KINDS } from '../ops/exchange/kinds';
import { PLAN_SCHEMA_VERSION, REASONS, type Operation, type OperationKind, type Plan } from './model';

export const CORE_OPERATION_KINDS: readonly OperationKind[] = [
  'createUser',
  'updateUser',
  'enableUser',
  'disableUser',
  'revokeSessions',
  'setManager',
  'removeManager',
  'awaitManager',
  'addGroupMember',
  'removeGroupMember',
  'assignLicenses',
  'removeLicenses',
  'restoreUser',
  'deleteUser',
  'setInitialCredential',
  'scheduleFollowUp',
  'redriveReports',
  'noop',
];

export function encodePlan(plan: Plan): string {
  return JSON.stringify(plan);
}

function invalid(why: string): never {
  throw new TenureError('TENURE_PLAN_INVALID', `Invalid plan: ${why}.`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkOperation(op: unknown, index: number, kinds: ReadonlySet<string>): void {
  if (!isRecord(op)) invalid(`operation ${index} is not an object`);
  if (typeof op.id !== 'string' || op.id === '') invalid(`operation ${index} has no id`);
  if (typeof op.kind !== 'string' || !kinds.has(op.kind)) invalid(`operation ${op.id} has an unknown kind`);
  if (typeof op.reason !== 'string' || !(REASONS as readonly string[]).includes(op.reason)) {
    invalid(`operation ${op.id} has an unknown reason`);
  }
  if (!isRecord(op.target) || typeof op.target.employeeId !== 'string')
    invalid(`operation ${op.id} has no target`);
  if (!isRecord(op.before) || !isRecord(op.after) || !isRecord(op.params)) {
    invalid(`operation ${op.id} lacks before/after/params`);
  }
  if (!Array.isArray(op.dependsOn) || !op.dependsOn.every((d) => typeof d === 'string')) {
    invalid(`operation ${op.id} has malformed dependsOn`);
  }
}

/** Throws TENURE_PLAN_INVALID when ids repeat, a dependency is missing, or dependencies form a cycle. */
export function checkDependencies(operations: readonly Operation[]): void {
  const ids = new Set<string>();
  for (const op of operations) {
    if (ids.has(op.id)) invalid(`duplicate operation id ${op.id}`);
    ids.add(op.id);
  }
  for (const op of operations) {
    for (const dep of op.dependsOn)
      if (!ids.has(dep)) invalid(`operation ${op.id} depends on unknown ${dep}`);
  }
  const byId = new Map(operations.map((o) => [o.id, o]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') invalid(`dependency cycle through ${id}`);
    state.set(id, 'visiting');
    for (const dep of byId.get(id)!.dependsOn) visit(dep);
    state.set(id, 'done');
  };
  for (const op of operations) visit(op.id);
}

/** Every kind a stored plan may hold: the core's and the leaver playbook's. */
export const ALL_OPERATION_KINDS: readonly OperationKind[] = [
  ...CORE_OPERATION_KINDS,
  ...PLAYBOOK_OPERATION_KINDS,
];

export function decodePlan(text: string, kinds: readonly string[] = ALL_OPERATION_KINDS): Plan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    invalid('not JSON');
  }
  if (!isRecord(raw)) invalid('not an object');
  if (raw.schemaVersion !== PLAN_SCHEMA_VERSION) invalid(`schemaVersion must be ${PLAN_SCHEMA_VERSION}`);
  for (const key of ['createdAt', 'flow', 'employeeId'] as const) {
    if (typeof raw[key] !== 'string') invalid(`${key} missing`);
  }
  if (!isRecord(raw.snapshot) || !isRecord(raw.observation) || !isRecord(raw.stage)) {
    invalid('snapshot, observation or stage missing');
  }
  if (!Array.isArray(raw.operations)) invalid('operations missing');
  const known = new Set(kinds);
  raw.operations.forEach((op, i) => checkOperation(op, i, known));
  const plan = raw as unknown as Plan;
  checkDependencies(plan.operations);
  return plan;
}
