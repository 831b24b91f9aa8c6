import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plan } from '../../shared/engine/planner/plan';
import type { Operation } from '../../shared/engine/plan/model';
import { desired, NOW, observed, policy, user } from './fixtures';

const kinds = (ops: readonly Operation[]) => ops.map((o) => o.kind);
const byKind = (ops: readonly Operation[], kind: Operation['kind']) => ops.filter((o) => o.kind === kind);

test('observed == desired gives an empty plan (idempotency)', () => {
  const p = plan(desired(), observed(), policy(), NOW);
  assert.deepEqual(p.operations, []);
  assert.equal(p.stage.stage, 'active');
});

test('joiner: create with naming, then manager, groups and licences after the create', () => {
  const p = plan(
    desired(),
    observed({
      user: null,
      groups: [],
      licenses: [],
      managerObjectId: null,
      freeNames: { userPrincipalName: 'ada.lovelace@contoso.test', mailNickname: 'ada.lovelace' },
    }),
    policy(),
    NOW,
  );
  assert.deepEqual(kinds(p.operations), [
    'createUser',
    'setManager',
    'addGroupMember',
    'assignLicenses',
    'redriveReports',
  ]);
  const create = p.operations[0];
  assert.equal(create.kind, 'createUser');
  assert.equal(create.after.userPrincipalName, 'ada.lovelace@contoso.test');
  assert.equal(create.after.accountEnabled, true);
  assert.equal(create.reason, 'hire');
  assert.equal(JSON.stringify(create).includes('password":"'), false);
  for (const op of p.operations.slice(1)) assert.deepEqual(op.dependsOn, ['createUser']);
  assert.equal(p.operations[0].target.objectId, null);
});

test('joiner without a free UPN fails with a naming code', () => {
  assert.throws(
    () => plan(desired(), observed({ user: null, freeNames: {} }), policy(), NOW),
    (e: { code?: string }) => e.code === 'TENURE_NAMING_EXHAUSTED',
  );
});

test('pre-hire: created disabled, wake-up scheduled at the start instant; later the start enables it', () => {
  const decision = {
    phase: 'prehire' as const,
    nextChangeAt: '2026-03-20T04:00:00.000Z',
    nextChange: 'startDate' as const,
  };
  const p = plan(
    desired({ decision }),
    observed({ user: null, groups: [], licenses: [], freeNames: { userPrincipalName: 'a@contoso.test' } }),
    policy(),
    NOW,
  );
  const create = byKind(p.operations, 'createUser')[0];
  assert.equal(create.kind === 'createUser' && create.params.accountEnabled, false);
  assert.equal(create.reason, 'preHire');
  const wake = byKind(p.operations, 'scheduleFollowUp')[0];
  assert.equal(wake.kind === 'scheduleFollowUp' && wake.params.at, '2026-03-20T04:00:00.000Z');
  // Same inputs with the wake already scheduled and the account there: nothing to do.
  const again = plan(
    desired({ decision }),
    observed({
      user: user({ accountEnabled: false }),
      bookkeeping: { waitingReports: 0, scheduledWakeAt: decision.nextChangeAt },
    }),
    policy(),
    NOW,
  );
  assert.deepEqual(again.operations, []);
  const started = plan(desired(), observed({ user: user({ accountEnabled: false }) }), policy(), NOW);
  assert.deepEqual(kinds(started.operations), ['enableUser']);
  assert.equal(started.operations[0].reason, 'startDateReached');
});

test('before the pre-hire window nothing is created, only the wake-up', () => {
  const decision = {
    phase: 'notYet' as const,
    nextChangeAt: '2026-03-13T04:00:00.000Z',
    nextChange: 'createAccount' as const,
  };
  const p = plan(desired({ decision }), observed({ user: null }), policy(), NOW);
  assert.deepEqual(kinds(p.operations), ['scheduleFollowUp']);
});

test('mover: attribute diff only, managed-only retention swaps groups, manager change', () => {
  const p = plan(
    desired({
      attributes: {
        displayName: 'Ada Lovelace',
        department: 'Marketing',
        usageLocation: 'GB',
        employeeId: 'E100',
      },
      groups: { granted: ['Marketing'], managed: ['Sales', 'Marketing'] },
      managerEmployeeId: 'M2',
    }),
    observed({
      groups: ['g-sales', 'g-unmanaged'],
      resolved: {
        groups: { Sales: 'g-sales', Marketing: 'g-mkt' },
        skus: { SPE_E3: 'sku-e3' },
        manager: { employeeId: 'M2', objectId: 'u-m2' },
      },
    }),
    policy(),
    NOW,
  );
  assert.deepEqual(kinds(p.operations), ['updateUser', 'setManager', 'addGroupMember', 'removeGroupMember']);
  assert.deepEqual(p.operations[0].before, { department: 'Sales' });
  assert.deepEqual(p.operations[0].after, { department: 'Marketing' });
  assert.equal(p.operations[1].reason, 'managerChanged');
  assert.deepEqual(p.operations[1].before, { manager: 'u-m1' });
  const removed = byKind(p.operations, 'removeGroupMember');
  assert.equal(removed.length, 1);
  assert.equal(removed[0].kind === 'removeGroupMember' && removed[0].params.groupId, 'g-sales');
});

test('group retention: add-only never removes, strict removes every ungranted group', () => {
  const obs = observed({ groups: ['g-sales', 'g-unmanaged', 'g-mkt'] });
  assert.deepEqual(kinds(plan(desired(), obs, policy({ groupRetention: 'add-only' }), NOW).operations), []);
  const strict = plan(desired(), obs, policy({ groupRetention: 'strict' }), NOW);
  const ids = byKind(strict.operations, 'removeGroupMember').map(
    (o) => o.kind === 'removeGroupMember' && o.params.groupId,
  );
  assert.deepEqual(ids.sort(), ['g-mkt', 'g-unmanaged']);
  const managed = plan(desired(), obs, policy(), NOW);
  assert.deepEqual(
    byKind(managed.operations, 'removeGroupMember').map((o) => o.id),
    ['removeGroupMember:g-mkt'],
  );
});

test('licence assignment waits for the usageLocation update', () => {
  const p = plan(
    desired({
      attributes: {
        displayName: 'Ada Lovelace',
        department: 'Sales',
        usageLocation: 'DE',
        employeeId: 'E100',
      },
    }),
    observed({ licenses: [] }),
    policy(),
    NOW,
  );
  const assign = byKind(p.operations, 'assignLicenses')[0];
  assert.deepEqual(assign.dependsOn, ['updateUser:attributeChanged']);
});

test('a licence reference the tenant lacks is a terminal unresolved-reference error', () => {
  assert.throws(
    () => plan(desired({ licenses: { granted: ['NOPE'], managed: [] } }), observed(), policy(), NOW),
    (e: { code?: string; terminal?: boolean }) =>
      e.code === 'TENURE_UNRESOLVED_REFERENCE' && e.terminal === true,
  );
});

test('leaver: disable, revoke after disable, remove managed groups and licences; second run is empty', () => {
  const term = desired({ decision: { phase: 'terminated' } });
  const p = plan(term, observed({ groups: ['g-sales', 'g-unmanaged'] }), policy(), NOW);
  assert.deepEqual(kinds(p.operations), [
    'disableUser',
    'revokeSessions',
    'removeGroupMember',
    'removeLicenses',
  ]);
  assert.deepEqual(p.operations[1].dependsOn, ['disableUser']);
  assert.equal(p.operations[0].reason, 'terminated');
  const after = observed({ user: user({ accountEnabled: false }), groups: ['g-unmanaged'], licenses: [] });
  assert.deepEqual(plan(term, after, policy(), NOW).operations, []);
});

test('leaver: the manager is left alone and nothing is created for a worker without an account', () => {
  const term = desired({ decision: { phase: 'terminated' }, managerEmployeeId: 'M9' });
  assert.deepEqual(
    kinds(plan(term, observed({ user: null, groups: [], licenses: [] }), policy(), NOW).operations),
    [],
  );
});

test('retirement keeps licences per its own playbook', () => {
  const p = plan(desired({ decision: { phase: 'retired' } }), observed(), policy(), NOW);
  assert.deepEqual(kinds(p.operations), ['disableUser', 'revokeSessions', 'removeGroupMember']);
  assert.equal(p.operations[0].reason, 'retired');
});

test('each leave kind uses its own actions and return re-enables', () => {
  const fmla = plan(desired({ decision: { phase: 'leave', leaveKind: 'fmla' } }), observed(), policy(), NOW);
  assert.deepEqual(fmla.operations, []);
  const longTerm = plan(
    desired({ decision: { phase: 'leave', leaveKind: 'long-term' } }),
    observed(),
    policy(),
    NOW,
  );
  assert.deepEqual(kinds(longTerm.operations), ['disableUser', 'revokeSessions']);
  assert.equal(longTerm.operations[0].reason, 'leaveStarted');
  const security = plan(
    desired({ decision: { phase: 'leave', leaveKind: 'security' } }),
    observed(),
    policy(),
    NOW,
  );
  assert.deepEqual(kinds(security.operations), ['disableUser', 'revokeSessions', 'removeGroupMember']);
  const back = plan(
    desired({ previousPhase: 'leave' }),
    observed({ user: user({ accountEnabled: false }) }),
    policy(),
    NOW,
  );
  assert.deepEqual(kinds(back.operations), ['enableUser']);
  assert.equal(back.operations[0].reason, 'leaveEnded');
});

test('rehire within the reuse window restores from deleted items, then reconciles', () => {
  const deleted = user({ deleted: true, accountEnabled: false, deletedDateTime: '2026-03-01T00:00:00Z' });
  const p = plan(
    desired({ previousPhase: 'deleted' }),
    observed({ user: deleted, groups: [], licenses: [], managerObjectId: null }),
    policy(),
    NOW,
  );
  assert.deepEqual(kinds(p.operations), [
    'restoreUser',
    'enableUser',
    'setManager',
    'addGroupMember',
    'assignLicenses',
    'redriveReports',
  ]);
  assert.equal(p.operations[1].reason, 'rehire');
  for (const op of p.operations.slice(1)) assert.deepEqual(op.dependsOn, ['restoreUser']);
});

test('rehire after the reuse window creates a new account', () => {
  const deleted = user({ deleted: true, deletedDateTime: '2026-01-01T00:00:00Z' });
  const p = plan(
    desired(),
    observed({
      user: deleted,
      groups: [],
      licenses: [],
      freeNames: { userPrincipalName: 'ada.lovelace2@contoso.test' },
    }),
    policy(),
    NOW,
  );
  assert.equal(p.operations[0].kind, 'createUser');
  assert.equal(p.operations[0].after.userPrincipalName, 'ada.lovelace2@contoso.test');
});

test('rehire of a disabled account re-enables it', () => {
  const p = plan(
    desired({ previousPhase: 'terminated' }),
    observed({ user: user({ accountEnabled: false }) }),
    policy(),
    NOW,
  );
  assert.deepEqual(kinds(p.operations), ['enableUser']);
  assert.equal(p.operations[0].reason, 'rehire');
});

test('delete N days after termination; a terminated worker in deleted items stays deleted', () => {
  const p = plan(desired({ decision: { phase: 'deleted' } }), observed(), policy(), NOW);
  assert.deepEqual(kinds(p.operations), ['deleteUser']);
  const gone = plan(
    desired({ decision: { phase: 'deleted' } }),
    observed({ user: user({ deleted: true }) }),
    policy(),
    NOW,
  );
  assert.deepEqual(gone.operations, []);
  const notRun = plan(
    desired({ decision: { phase: 'deleted' } }),
    observed(),
    policy({ run: ['hire', 'update'] }),
    NOW,
  );
  assert.deepEqual(notRun.operations, []);
});

test('a manager not in Entra yet is awaited once, without failing', () => {
  const obs = observed({
    managerObjectId: null,
    resolved: { ...observed().resolved, manager: { employeeId: 'M1', objectId: null } },
  });
  const p = plan(desired(), obs, policy(), NOW);
  assert.deepEqual(kinds(p.operations), ['awaitManager']);
  assert.equal(p.operations[0].reason, 'managerPending');
  const again = plan(
    desired(),
    { ...obs, bookkeeping: { waitingReports: 0, pendingManager: 'M1' } },
    policy(),
    NOW,
  );
  assert.deepEqual(again.operations, []);
  const arrived = plan(
    desired(),
    { ...observed({ managerObjectId: null }), bookkeeping: { waitingReports: 0, pendingManager: 'M1' } },
    policy(),
    NOW,
  );
  assert.deepEqual(kinds(arrived.operations), ['setManager']);
});

test('a manager whose reports wait re-drives them when it is created', () => {
  const p = plan(
    desired(),
    observed({ user: null, groups: [], licenses: [], freeNames: { userPrincipalName: 'a@contoso.test' } }),
    policy(),
    NOW,
  );
  assert.ok(kinds(p.operations).includes('redriveReports'));
  const waiting = plan(desired(), observed({ bookkeeping: { waitingReports: 2 } }), policy(), NOW);
  assert.deepEqual(kinds(waiting.operations), ['redriveReports']);
});

test('removing the manager when HR clears it', () => {
  const p = plan(desired({ managerEmployeeId: null }), observed(), policy(), NOW);
  assert.deepEqual(kinds(p.operations), ['removeManager']);
});

test('rename: a UPN that is no longer a candidate moves to the first free one; a candidate is kept', () => {
  const names = { userPrincipalName: ['ada.byron@contoso.test'], mailNickname: ['ada.byron'], mail: [] };
  const p = plan(
    desired({ naming: names }),
    observed({ freeNames: { userPrincipalName: 'ada.byron@contoso.test', mailNickname: 'ada.byron' } }),
    policy(),
    NOW,
  );
  assert.deepEqual(kinds(p.operations), ['updateUser']);
  assert.equal(p.operations[0].reason, 'nameChanged');
  assert.deepEqual(p.operations[0].after, {
    userPrincipalName: 'ada.byron@contoso.test',
    mailNickname: 'ada.byron',
  });
  const upper = user({
    attributes: { ...user().attributes, userPrincipalName: 'Ada.Lovelace@contoso.test' },
  });
  assert.deepEqual(
    plan(
      desired(),
      observed({ user: upper, freeNames: { userPrincipalName: 'x@contoso.test' } }),
      policy(),
      NOW,
    ).operations,
    [],
  );
});

test('Temporary Access Pass: created after the user', () => {
  const p = plan(
    desired(),
    observed({ user: null, groups: [], licenses: [], freeNames: { userPrincipalName: 'a@contoso.test' } }),
    policy({ credential: { kind: 'temporaryAccessPass', lifetimeMinutes: 480 } }),
    NOW,
  );
  const tap = byKind(p.operations, 'setInitialCredential')[0];
  assert.deepEqual(tap.dependsOn, ['createUser']);
});

test('a stage the flow does not run is never planned', () => {
  const p = plan(
    desired(),
    observed({ user: null, freeNames: { userPrincipalName: 'a@contoso.test' } }),
    policy({ run: ['update'] }),
    NOW,
  );
  assert.deepEqual(p.operations, []);
  const mover = plan(
    desired({ attributes: { ...desired().attributes, department: 'X' } }),
    observed(),
    policy({ run: ['hire'] }),
    NOW,
  );
  assert.deepEqual(mover.operations, []);
  const leaver = plan(
    desired({ decision: { phase: 'terminated' } }),
    observed(),
    policy({ run: ['hire', 'update'] }),
    NOW,
  );
  assert.deepEqual(leaver.operations, []);
});

test('null, empty and absent attribute values are the same', () => {
  const d = desired({ attributes: { ...desired().attributes, jobTitle: null, officeLocation: '' } });
  assert.deepEqual(plan(d, observed(), policy(), NOW).operations, []);
});
