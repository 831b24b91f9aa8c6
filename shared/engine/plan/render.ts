// Readable, Terraform-like text of a plan for previews and the timeline. Shows attribute names and values (the
// admin asked for them), so it is for admin surfaces only, never for logs.
import type { JsonValue, Operation, Plan } from './model';

const SYMBOL: Partial<Record<Operation['kind'], string>> = {
  createUser: '+',
  restoreUser: '+',
  addGroupMember: '+',
  assignLicenses: '+',
  setManager: '~',
  updateUser: '~',
  enableUser: '~',
  disableUser: '~',
  setInitialCredential: '~',
  revokeSessions: '!',
  removeGroupMember: '-',
  removeLicenses: '-',
  removeManager: '-',
  deleteUser: '-',
  scheduleFollowUp: '@',
  awaitManager: '?',
  redriveReports: '>',
  noop: '=',
};

function show(value: JsonValue | undefined): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}

function subject(op: Operation): string {
  switch (op.kind) {
    case 'addGroupMember':
    case 'removeGroupMember':
      return ` group ${op.params.groupRef}`;
    case 'assignLicenses':
    case 'removeLicenses':
      return ` ${op.params.skuRefs.join(', ')}`;
    case 'setManager':
      return ` manager ${op.params.managerEmployeeId}`;
    case 'awaitManager':
      return ` manager ${op.params.managerEmployeeId} (not in Entra yet)`;
    case 'scheduleFollowUp':
      return ` at ${op.params.at} (${op.params.purpose})`;
    case 'createUser':
    case 'setInitialCredential':
      return ` credential: ${op.params.credential.kind}`;
    case 'noop':
      return ` ${op.params.note}`;
    default:
      return '';
  }
}

export function renderOperation(op: Operation): string[] {
  const lines = [`  ${SYMBOL[op.kind] ?? '*'} ${op.kind}${subject(op)}  [${op.reason}]`];
  const keys = [...new Set([...Object.keys(op.before), ...Object.keys(op.after)])].sort();
  for (const key of keys) {
    const before = op.before[key];
    const after = op.after[key];
    lines.push(
      op.kind === 'createUser'
        ? `      ${key}: ${show(after)}`
        : `      ${key}: ${show(before)} -> ${show(after)}`,
    );
  }
  if (op.dependsOn.length > 0) lines.push(`      (after ${op.dependsOn.join(', ')})`);
  return lines;
}

export function renderPlan(plan: Plan): string {
  const stage = plan.stage.leaveKind ? `${plan.stage.stage} (${plan.stage.leaveKind})` : plan.stage.stage;
  const head = [
    `Worker ${plan.employeeId} in flow ${plan.flow}: stage ${stage}` +
      (plan.stage.nextChangeAt ? `, next change at ${plan.stage.nextChangeAt}` : ''),
    `  Entra object: ${plan.observation.objectId ?? '(none)'}; HR version ${plan.snapshot.version}`,
  ];
  if (plan.operations.length === 0) return [...head, '  No changes. Entra matches the HR record.'].join('\n');
  const writes = plan.operations.filter((o) => o.kind !== 'noop').length;
  return [...head, ...plan.operations.flatMap(renderOperation), `Plan: ${writes} operation(s).`].join('\n');
}
