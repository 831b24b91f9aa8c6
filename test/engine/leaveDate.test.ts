// employeeLeaveDateTime (issue 7 gap): read back only when the flow maps it, compared as an instant, and a 403
// on writing it names the missing permission.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBackNeeds } from '../../shared/engine/apply/verify';
import { TenureError } from '../../shared/engine/errors';
import { plan } from '../../shared/engine/planner/plan';
import { sameAttributeValue } from '../../shared/engine/planner/diff';
import { namingGatedPermission } from '../../shared/graph/errors';
import { build } from '../../shared/graph/requests';
import { gatedReads, userSelect, USER_SELECT } from '../../shared/graph/userShape';
import { desired, NOW, observed, policy, user } from './fixtures';

const GRAPH_FORM = '2022-09-30T23:59:59Z';

test('DateTimeOffset attributes compare as instants (to the second), other attributes as strings', () => {
  assert.ok(sameAttributeValue('employeeLeaveDateTime', '2022-10-01T01:59:59+02:00', GRAPH_FORM));
  assert.ok(sameAttributeValue('employeeLeaveDateTime', '2022-09-30T23:59:59.000Z', GRAPH_FORM));
  assert.ok(sameAttributeValue('employeeLeaveDateTime', '2022-09-30T23:59:59.400Z', GRAPH_FORM));
  assert.ok(sameAttributeValue('employeeHireDate', '2022-09-30T19:59:59-0400', GRAPH_FORM));
  assert.equal(sameAttributeValue('employeeLeaveDateTime', '2022-09-30T23:59:58Z', GRAPH_FORM), false);
  assert.equal(sameAttributeValue('employeeLeaveDateTime', '2022-10-01T01:59:59Z', GRAPH_FORM), false);
  assert.equal(sameAttributeValue('employeeLeaveDateTime', GRAPH_FORM, null), false);
  assert.ok(sameAttributeValue('employeeLeaveDateTime', null, null));
  // Not a date attribute: different strings stay different.
  assert.equal(sameAttributeValue('jobTitle', '2022-10-01T01:59:59+02:00', GRAPH_FORM), false);
});

test('a leave date Graph returns in another form plans nothing; a different one plans one update', () => {
  const attrs = { ...desired().attributes, employeeLeaveDateTime: '2022-10-01T01:59:59+02:00' };
  const seen = (v: string | null) =>
    observed({ user: user({ attributes: { ...user().attributes, employeeLeaveDateTime: v } }) });
  assert.deepEqual(plan(desired({ attributes: attrs }), seen(GRAPH_FORM), policy(), NOW).operations, []);
  const ops = plan(desired({ attributes: attrs }), seen('2022-09-29T23:59:59Z'), policy(), NOW).operations;
  assert.equal(ops.length, 1);
  assert.equal(ops[0]!.kind, 'updateUser');
  // Unread (null) looks like "no value": the write is planned, which is why observe must read it.
  const unread = plan(desired({ attributes: attrs }), seen(null), policy(), NOW).operations;
  assert.deepEqual(
    unread.map((o) => o.kind),
    ['updateUser'],
  );
});

test('$select: the gated attribute only when asked for; other names never widen the selection', () => {
  assert.equal(USER_SELECT.includes('employeeLeaveDateTime'), false);
  assert.deepEqual(gatedReads(['displayName', 'employeeLeaveDateTime', 'employeeLeaveDateTime']), [
    'employeeLeaveDateTime',
  ]);
  assert.equal(userSelect(['displayName', 'extension_x_y']), USER_SELECT);
  assert.deepEqual(userSelect(['employeeLeaveDateTime']), [...USER_SELECT, 'employeeLeaveDateTime']);
  const q = (url: string) => decodeURIComponent(url).split('$select=')[1]!.split(',');
  assert.ok(
    q(build.usersByEmployeeId('E1', ['employeeLeaveDateTime']).url).includes('employeeLeaveDateTime'),
  );
  assert.ok(
    q(build.deletedUsersByEmployeeId('E1', ['employeeLeaveDateTime']).url).includes('employeeLeaveDateTime'),
  );
  assert.ok(q(build.userById('u1', true, ['employeeLeaveDateTime']).url).includes('employeeLeaveDateTime'));
  assert.equal(q(build.usersByEmployeeId('E1').url).includes('employeeLeaveDateTime'), false);
  assert.equal(q(build.userById('u1').url).includes('employeeLeaveDateTime'), false);
});

test('read-back asks for the attributes the applied operations wrote', () => {
  const attrs = { ...desired().attributes, employeeLeaveDateTime: GRAPH_FORM };
  const p = plan(desired({ attributes: attrs }), observed(), policy(), NOW);
  const results = p.operations.map((o) => ({
    id: o.id,
    kind: o.kind,
    status: 'applied' as const,
    before: {},
    after: {},
  }));
  assert.ok(readBackNeeds(p, results).attributes.includes('employeeLeaveDateTime'));
});

test('a 403 on a write carrying the leave date names the attribute and the permission', () => {
  const forbidden = new TenureError('TENURE_GRAPH_FORBIDDEN', 'Graph updateUser: insufficient privileges.', {
    operationKind: 'updateUser',
    graphStatus: 403,
    graphCode: 'Authorization_RequestDenied',
  });
  const named = namingGatedPermission(forbidden, ['department', 'employeeLeaveDateTime']);
  assert.equal(named.code, 'TENURE_GRAPH_FORBIDDEN');
  assert.equal(named.terminal, true);
  assert.equal(named.details.target, 'employeeLeaveDateTime');
  assert.equal(named.details.requiredPermission, 'User-LifeCycleInfo.ReadWrite.All');
  assert.equal(named.details.graphCode, 'Authorization_RequestDenied');
  assert.match(named.message, /User-LifeCycleInfo\.ReadWrite\.All/);
  // Without the gated attribute, or for another error, nothing changes.
  assert.equal(namingGatedPermission(forbidden, ['department']), forbidden);
  const other = new TenureError('TENURE_GRAPH_BAD_REQUEST', 'x');
  assert.equal(namingGatedPermission(other, ['employeeLeaveDateTime']), other);
});
