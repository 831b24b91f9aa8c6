// The playbook joined to the engine's pure planner: order by dependsOn, differences only (a second run plans no
// writes), the licence gate (never before conversion; Plan 2 licence kept on hold / archive / > 50 GB), a mailbox
// that cannot be read, the reversal on return, and the flow's conditions and templated options.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { levels } from '../../shared/engine/apply/applier';
import { decodePlan, encodePlan } from '../../shared/engine/plan/codec';
import { isDirectoryWrite, type Operation, type Plan } from '../../shared/engine/plan/model';
import type { ObservedState } from '../../shared/engine/observe/model';
import { renderPlan } from '../../shared/engine/plan/render';
import { PLAYBOOK_OPERATION_KINDS } from '../../shared/engine/ops/exchange/kinds';
import { plan } from '../../shared/engine/planner/plan';
import { desiredPlaybook } from '../../shared/playbook/desired';
import type { DesiredPlaybook, ObservedPlaybook } from '../../shared/playbook/model';
import { NOW, desired, observed, policy, user } from '../engine/fixtures';
import { ALL_STEPS, HOLD, MANAGER, after, before, mailbox } from './fixtures';
import { playbookFlow } from './flow';

const terminated = { phase: 'terminated' as const };

function leaverPlan(pb: ObservedPlaybook, steps = ALL_STEPS, licenses = ['sku-e3']): Plan {
  const playbook: DesiredPlaybook = { mode: 'leaver', steps };
  return plan(
    desired({ decision: terminated, playbook }),
    observed({ playbook: pb, licenses, user: user() }),
    policy(),
    NOW,
  );
}

const op = (p: Plan, id: string): Operation => {
  const found = p.operations.find((o) => o.id === id);
  assert.ok(found, `no operation ${id} in ${p.operations.map((o) => o.id).join(', ')}`);
  return found;
};
const levelOf = (p: Plan, id: string): number =>
  levels(p.operations).findIndex((l) => l.some((o) => o.id === id));
const writes = (p: Plan): string[] => p.operations.filter(isDirectoryWrite).map((o) => o.id);

describe('leaver playbook planning', () => {
  it('chains the steps in order and removes licences only after every step', () => {
    const p = leaverPlan(before());
    const chain = [
      'setMailboxType',
      'addMailboxPermission:grace@contoso.test',
      'setAutoReply',
      'setForwarding',
      'setAddressListVisibility',
      'removeMailAliases',
      'shareOneDrive',
      'removeLicenses',
    ];
    const lv = chain.map((id) => levelOf(p, id));
    for (let i = 1; i < lv.length; i++)
      assert.ok(lv[i]! > lv[i - 1]!, `${chain[i]} runs after ${chain[i - 1]}`);
    assert.equal(levelOf(p, 'addRecipientPermission:grace@contoso.test'), lv[1]);
    assert.deepEqual(op(p, 'addMailboxPermission:grace@contoso.test').dependsOn, ['setMailboxType']);
    const remove = op(p, 'removeLicenses');
    for (const id of chain.slice(0, -1))
      assert.ok(remove.dependsOn.includes(id), `removeLicenses waits for ${id}`);
    // The Entra part does not wait for Exchange.
    assert.deepEqual(op(p, 'disableUser').dependsOn, []);
    // Exchange operations name the mailbox by UPN (documented -Identity form); OneDrive goes by drive id.
    assert.deepEqual(op(p, 'removeMailAliases').params, {
      addresses: ['smtp:ada@contoso.test'],
      mailbox: 'ada.lovelace@contoso.test',
    });
    assert.deepEqual(op(p, 'setForwarding').params, {
      address: 'grace@contoso.test',
      keepCopy: true,
      mailbox: 'ada.lovelace@contoso.test',
    });
    assert.deepEqual(op(p, 'shareOneDrive').params, {
      driveId: 'b!drive',
      recipients: ['grace@contoso.test'],
      role: 'write',
    });
    // Every op carries a reason, and the plan survives the codec and renders.
    assert.deepEqual(decodePlan(encodePlan(p)), p);
    assert.match(renderPlan(p), /setMailboxType/);
  });

  it('plans no writes when the mailbox and OneDrive already match (second run)', () => {
    const p = plan(
      desired({ decision: terminated, playbook: { mode: 'leaver', steps: ALL_STEPS } }),
      observed({
        playbook: after(),
        licenses: [],
        groups: [],
        user: user({ accountEnabled: false }),
      }),
      policy(),
      NOW,
    );
    assert.deepEqual(writes(p), []);
  });

  it('plans only what differs', () => {
    const half = after({
      mailbox: mailbox(
        { type: 'SharedMailbox', hiddenFromAddressLists: false },
        { fullAccess: ['grace@contoso.test'] },
      ),
    });
    const p = leaverPlan(half, ALL_STEPS, []);
    assert.deepEqual(
      writes(p).filter((id) => id !== 'disableUser' && id !== 'revokeSessions' && !id.startsWith('remove')),
      [
        'addRecipientPermission:grace@contoso.test',
        'setAutoReply',
        'setForwarding',
        'setAddressListVisibility',
      ],
    );
  });

  it('sets litigation hold first and keeps the Plan 2 licence a shared mailbox on hold needs', () => {
    const p = leaverPlan(before(), [HOLD, ...ALL_STEPS]);
    assert.deepEqual(op(p, 'setMailboxType').dependsOn, ['setLitigationHold']);
    assert.deepEqual(op(p, 'setLitigationHold').params, {
      enabled: true,
      durationDays: 365,
      mailbox: 'ada.lovelace@contoso.test',
    });
    assert.equal(
      p.operations.some((o) => o.kind === 'removeLicenses'),
      false,
    );
    assert.match(
      String(op(p, 'noop:licenceKept').params && (op(p, 'noop:licenceKept').params as { note: string }).note),
      /litigation hold/,
    );
  });

  it('keeps only the Plan 2 licence and removes the others', () => {
    const p = plan(
      desired({
        decision: terminated,
        playbook: { mode: 'leaver', steps: ALL_STEPS },
        licenses: { granted: [], managed: ['SPE_E3', 'VISIO'] },
      }),
      observed({
        playbook: before({ mailbox: mailbox({ litigationHold: true }) }),
        licenses: ['sku-e3', 'sku-visio'],
        resolved: { groups: {}, skus: { SPE_E3: 'sku-e3', VISIO: 'sku-visio' }, manager: null },
      }),
      policy(),
      NOW,
    );
    const remove = op(p, 'removeLicenses');
    assert.equal(remove.kind, 'removeLicenses');
    assert.deepEqual(remove.kind === 'removeLicenses' && remove.params.skuIds, ['sku-visio']);
    assert.ok(remove.dependsOn.includes('setMailboxType'));
  });

  it('keeps the licence for an archive or more than 50 GB, not for a small mailbox', () => {
    const archive = leaverPlan(before({ mailbox: mailbox({ archive: true }) }));
    assert.equal(
      archive.operations.some((o) => o.kind === 'removeLicenses'),
      false,
    );
    const big = leaverPlan(before({ mailbox: mailbox({}, { sizeBytes: 51 * 1024 ** 3 }) }));
    assert.equal(
      big.operations.some((o) => o.kind === 'removeLicenses'),
      false,
    );
    const small = leaverPlan(before());
    assert.ok(small.operations.some((o) => o.kind === 'removeLicenses'));
  });

  it('plans the mailbox steps as written when Exchange refused to be read; licence removal waits for them', () => {
    const refused: ObservedPlaybook = before({
      mailbox: {
        status: 'unavailable',
        code: 'TENURE_EXCHANGE_UNAUTHORIZED',
        reason: 'no Exchange.ManageAsApp',
      },
    });
    const p = leaverPlan(refused);
    for (const id of ['setMailboxType', 'setAutoReply', 'setForwarding', 'setAddressListVisibility'])
      assert.ok(op(p, id), id);
    assert.ok(op(p, 'removeLicenses').dependsOn.includes('setMailboxType'));
    assert.deepEqual(op(p, 'disableUser').dependsOn, []);
  });

  it('skips mailbox steps for a worker without a mailbox, and explains a missing manager', () => {
    const p = leaverPlan(before({ mailbox: { status: 'absent' }, manager: null }));
    assert.equal(
      p.operations.some((o) => o.kind === 'setMailboxType'),
      false,
    );
    assert.ok(op(p, 'noop:shareOneDrive:noManager'));
    assert.deepEqual(op(p, 'removeLicenses').dependsOn, []);
  });
});

describe('return (rehire, end of leave)', () => {
  const returning = (pb: ObservedPlaybook, previousPhase: 'terminated' | 'leave' | 'active' = 'terminated') =>
    plan(
      desired({
        decision: { phase: 'active' },
        previousPhase,
        playbook: { mode: 'return', steps: [HOLD, ...ALL_STEPS] },
      }),
      observed({ playbook: pb, user: user({ accountEnabled: false }) }),
      policy(),
      NOW,
    );

  it('undoes the reversible steps, the mailbox type last; hold and access stay', () => {
    const p = returning(
      after({
        mailbox: mailbox(
          {
            type: 'SharedMailbox',
            litigationHold: true,
            hiddenFromAddressLists: true,
            forwardingSmtpAddress: 'grace@contoso.test',
          },
          {
            autoReply: {
              state: 'Enabled',
              internalMessage: 'x',
              externalMessage: 'x',
              externalAudience: 'All',
            },
            fullAccess: ['grace@contoso.test'],
          },
        ),
      }),
    );
    assert.deepEqual(op(p, 'setAutoReply').params, {
      state: 'Disabled',
      mailbox: 'ada.lovelace@contoso.test',
    });
    assert.deepEqual(op(p, 'setForwarding').params, {
      address: null,
      keepCopy: false,
      mailbox: 'ada.lovelace@contoso.test',
    });
    assert.deepEqual(op(p, 'setAddressListVisibility').params, {
      hidden: false,
      mailbox: 'ada.lovelace@contoso.test',
    });
    const regular = op(p, 'setMailboxType');
    assert.deepEqual(regular.params, { type: 'Regular', mailbox: 'ada.lovelace@contoso.test' });
    assert.equal(regular.reason, 'rehire');
    for (const id of ['enableUser', 'setAutoReply', 'setForwarding', 'setAddressListVisibility'])
      assert.ok(regular.dependsOn.includes(id), `Regular after ${id}`);
    assert.equal(
      p.operations.some((o) => o.kind === 'setLitigationHold'),
      false,
    );
    assert.equal(
      p.operations.some((o) => o.kind === 'addMailboxPermission'),
      false,
    );
  });

  it('does nothing for an active worker whose mailbox is back to normal, even with an auto-reply of their own', () => {
    const own = before({
      mailbox: mailbox(
        {},
        {
          autoReply: {
            state: 'Enabled',
            internalMessage: 'On holiday',
            externalMessage: '',
            externalAudience: 'All',
          },
        },
      ),
    });
    assert.deepEqual(
      writes(returning(own, 'active')).filter((id) => id !== 'enableUser'),
      [],
    );
  });

  it('revokes the access granted on leaving when the step says revokeOnReturn', () => {
    const steps = ALL_STEPS.map((s) =>
      s.kind === 'grantMailboxAccess' ? { ...s, revokeOnReturn: true } : s,
    );
    const p = plan(
      desired({
        decision: { phase: 'active' },
        previousPhase: 'terminated',
        playbook: { mode: 'return', steps },
      }),
      observed({ playbook: after(), user: user({ accountEnabled: false }) }),
      policy(),
      NOW,
    );
    assert.ok(op(p, 'removeMailboxPermission:grace@contoso.test'));
    assert.ok(op(p, 'removeRecipientPermission:grace@contoso.test'));
    assert.ok(op(p, 'setMailboxType').dependsOn.includes('removeMailboxPermission:grace@contoso.test'));
  });

  it('after a restore from deleted items, undoes the steps blind (the mailbox cannot be read before)', () => {
    const p = plan(
      desired({
        decision: { phase: 'active' },
        previousPhase: 'deleted',
        playbook: { mode: 'return', steps: [HOLD, ...ALL_STEPS] },
      }),
      observed({
        user: user({ deleted: true, deletedDateTime: '2026-03-01T00:00:00Z' }),
        groups: [],
        licenses: [],
        managerObjectId: null,
      }),
      policy(),
      NOW,
    );
    assert.ok(op(p, 'restoreUser'));
    for (const id of ['setAutoReply', 'setForwarding', 'setAddressListVisibility'])
      assert.deepEqual(op(p, id).dependsOn, ['restoreUser']);
    const regular = op(p, 'setMailboxType');
    assert.ok(regular.dependsOn.includes('restoreUser'));
    assert.ok(regular.dependsOn.includes('assignLicenses'));
    // No UPN to name the mailbox by yet: the applier uses the restored object id.
    assert.equal((regular.params as { mailbox?: string }).mailbox, undefined);
  });

  describe('shareOneDrive revokeOnReturn', () => {
    const revoking = ALL_STEPS.map((s) => (s.kind === 'shareOneDrive' ? { ...s, revokeOnReturn: true } : s));
    const back = (pb: ObservedPlaybook | undefined, steps = revoking, over: Partial<ObservedState> = {}) =>
      plan(
        desired({
          decision: { phase: 'active' },
          previousPhase: 'terminated',
          playbook: { mode: 'return', steps },
        }),
        observed({ ...(pb ? { playbook: pb } : {}), user: user({ accountEnabled: false }), ...over }),
        policy(),
        NOW,
      );
    const grants = [
      { permissionId: 'p-owner-like', email: 'ada.lovelace@contoso.test', roles: ['write'] },
      { permissionId: 'p1', email: 'grace@contoso.test', userId: 'u-m1', roles: ['write'] },
      { permissionId: 'p-other', email: 'bob@contoso.test', userId: 'u-bob', roles: ['read'] },
      { permissionId: 'p-inherited', email: 'grace@contoso.test', roles: ['read'], inherited: true as const },
    ];
    const drive = { status: 'present' as const, driveId: 'b!drive', grants };
    const removed = (p: Plan): string[] => [
      ...(op(p, 'revokeOneDriveShare').params as { permissionIds: readonly string[] }).permissionIds,
    ];

    it("removes only the recipients' direct grants, before the mailbox goes back to a user mailbox", () => {
      const p = back(after({ oneDrive: drive }));
      const revoke = op(p, 'revokeOneDriveShare');
      assert.deepEqual(revoke.params, {
        driveId: 'b!drive',
        recipients: ['grace@contoso.test'],
        userIds: ['u-m1'],
        permissionIds: ['p1'],
      });
      assert.deepEqual(revoke.before, { 'oneDrive:grace@contoso.test': 'write' });
      assert.deepEqual(revoke.after, { 'oneDrive:grace@contoso.test': null });
      assert.equal(revoke.reason, 'rehire');
      assert.ok(op(p, 'setMailboxType').dependsOn.includes('revokeOneDriveShare'));
      // The plan survives the store, and the preview names it.
      assert.deepEqual(decodePlan(encodePlan(p)).operations, p.operations);
      assert.match(renderPlan(p), /revokeOneDriveShare/);
    });

    it('matches the manager by object id when the grant carries no address', () => {
      const p = back(
        after({
          oneDrive: { ...drive, grants: [{ permissionId: 'p9', userId: 'u-m1', roles: ['read'] }] },
        }),
      );
      assert.deepEqual(removed(p), ['p9']);
    });

    it('revokes listed addresses too, and plans nothing once the grants are gone (second run)', () => {
      const steps = ALL_STEPS.map((s) =>
        s.kind === 'shareOneDrive'
          ? { ...s, to: ['manager' as const, { address: 'bob@contoso.test' }], revokeOnReturn: true }
          : s,
      );
      const p = back(after({ oneDrive: drive }), steps);
      assert.deepEqual(removed(p).sort(), ['p-other', 'p1']);
      const gone = back(
        after({ oneDrive: { ...drive, grants: grants.filter((g) => g.permissionId === 'p-owner-like') } }),
        steps,
      );
      assert.equal(
        gone.operations.some((o) => o.kind === 'revokeOneDriveShare'),
        false,
      );
    });

    it('keeps the share by default (revokeOnReturn false)', () => {
      const p = back(after({ oneDrive: drive }), ALL_STEPS);
      assert.equal(
        p.operations.some((o) => o.kind === 'revokeOneDriveShare'),
        false,
      );
    });

    it('does nothing for a worker without a OneDrive, or when it was not read (no return under way)', () => {
      const none = back(after({ oneDrive: { status: 'absent' } }));
      assert.equal(
        none.operations.some((o) => o.kind === 'revokeOneDriveShare'),
        false,
      );
      const unread = back(before({ oneDrive: undefined }));
      assert.equal(
        unread.operations.some((o) => o.kind === 'revokeOneDriveShare'),
        false,
      );
    });

    it('after a restore from deleted items, plans the revocation blind with the manager resolved from HR', () => {
      const p = back(undefined, revoking, {
        user: user({ deleted: true, deletedDateTime: '2026-03-01T00:00:00Z' }),
        groups: [],
        licenses: [],
        managerObjectId: null,
      });
      const revoke = op(p, 'revokeOneDriveShare');
      assert.deepEqual(revoke.params, {
        driveId: null,
        recipients: [],
        userIds: ['u-m1'],
        permissionIds: [],
      });
      assert.deepEqual(revoke.after, { 'oneDrive:u-m1': null }, 'the preview names whose grant goes');
      assert.deepEqual(revoke.dependsOn, ['restoreUser']);
    });
  });

  it('after a restore with revokeOnReturn, removes the manager read before planning, blind and idempotent', () => {
    const steps = ALL_STEPS.map((s) =>
      s.kind === 'grantMailboxAccess' || s.kind === 'shareOneDrive' ? { ...s, revokeOnReturn: true } : s,
    );
    const notRestored = {
      status: 'unavailable' as const,
      code: 'TENURE_PLAYBOOK_NOT_RESTORED',
      reason: 'in deleted items',
    };
    const p = plan(
      desired({
        decision: { phase: 'active' },
        previousPhase: 'deleted',
        playbook: { mode: 'return', steps },
      }),
      observed({
        user: user({ deleted: true, deletedDateTime: '2026-03-01T00:00:00Z' }),
        groups: [],
        licenses: [],
        managerObjectId: null,
        playbook: { mailbox: notRestored, oneDrive: notRestored, plan2SkuIds: [], manager: MANAGER },
      }),
      policy(),
      NOW,
    );
    assert.deepEqual(op(p, 'removeMailboxPermission:grace@contoso.test').dependsOn, ['restoreUser']);
    assert.ok(op(p, 'removeRecipientPermission:grace@contoso.test'));
    assert.deepEqual(op(p, 'revokeOneDriveShare').params, {
      driveId: null,
      recipients: ['grace@contoso.test'],
      userIds: ['u-m1'],
      permissionIds: [],
    });
    const regular = op(p, 'setMailboxType');
    for (const id of ['removeMailboxPermission:grace@contoso.test', 'revokeOneDriveShare', 'assignLicenses'])
      assert.ok(regular.dependsOn.includes(id), `Regular after ${id}`);
  });

  it('plans no reversal for a new account (the old one purged or past the restore window)', () => {
    const steps = ALL_STEPS.map((s) =>
      s.kind === 'grantMailboxAccess' || s.kind === 'shareOneDrive' ? { ...s, revokeOnReturn: true } : s,
    );
    for (const gone of [null, user({ deleted: true, deletedDateTime: '2025-12-01T00:00:00Z' })]) {
      const p = plan(
        desired({
          decision: { phase: 'active' },
          previousPhase: 'deleted',
          playbook: { mode: 'return', steps },
        }),
        observed({
          user: gone,
          groups: [],
          licenses: [],
          managerObjectId: null,
          freeNames: { userPrincipalName: 'ada.lovelace2@contoso.test', mailNickname: 'ada.lovelace2' },
        }),
        policy(),
        NOW,
      );
      assert.ok(op(p, 'createUser'));
      const playbookKinds = new Set<string>(PLAYBOOK_OPERATION_KINDS);
      assert.deepEqual(
        p.operations.filter((o) => playbookKinds.has(o.kind)).map((o) => o.id),
        [],
      );
    }
  });

  it('uses leaveEnded after a leave', () => {
    const p = returning(before({ mailbox: mailbox({ hiddenFromAddressLists: true }) }), 'leave');
    assert.equal(op(p, 'setAddressListVisibility').reason, 'leaveEnded');
  });
});

describe('desired playbook from the flow', () => {
  const flow = playbookFlow();
  const record = { Id: 'E1', First: 'Ada', Last: 'Lovelace', Dept: 'Sales', Status: 'Terminated' };
  const at = (phase: 'terminated' | 'active', dept = 'Sales') =>
    desiredPlaybook({
      flow,
      record: { ...record, Dept: dept },
      decision: { phase },
      now: NOW,
      random: () => 0.5,
    });

  it('evaluates conditions and templated messages for a leaver', () => {
    const sales = at('terminated');
    assert.equal(sales.playbook?.mode, 'leaver');
    assert.equal(
      sales.playbook?.steps.some((s) => s.kind === 'litigationHold'),
      false,
    );
    const reply = sales.playbook?.steps.find((s) => s.kind === 'setAutoReply');
    assert.deepEqual(reply, {
      kind: 'setAutoReply',
      internalMessage: 'Ada Lovelace has left the company.',
      externalMessage: 'Ada Lovelace is no longer with Contoso.',
      externalAudience: 'All',
    });
    const legal = at('terminated', 'Legal');
    assert.deepEqual(legal.playbook?.steps[0], {
      kind: 'litigationHold',
      durationDays: 365,
      releaseOnReturn: false,
    });
  });

  it('carries the reversible steps for an active worker', () => {
    const active = at('active');
    assert.equal(active.playbook?.mode, 'return');
    assert.deepEqual(active.playbook?.steps.map((s) => s.kind).sort(), [
      'convertToSharedMailbox',
      'forwardMail',
      'grantMailboxAccess',
      'hideFromAddressLists',
      'litigationHold',
      'setAutoReply',
    ]);
  });

  it('carries shareOneDrive for an active worker only when the flow revokes it on return', () => {
    const revoking = playbookFlow();
    const withRevoke = {
      ...revoking,
      stages: {
        ...revoking.stages,
        termination: {
          ...revoking.stages.termination,
          playbook: revoking.stages.termination.playbook.map((s) =>
            s.step === 'shareOneDrive'
              ? { ...s, with: { ...s.with, revokeOnReturn: { kind: 'literal' as const, value: true } } }
              : s,
          ),
        },
      },
    };
    const active = desiredPlaybook({
      flow: withRevoke,
      record,
      decision: { phase: 'active' },
      now: NOW,
      random: () => 0.5,
    });
    assert.deepEqual(
      active.playbook?.steps.find((s) => s.kind === 'shareOneDrive'),
      { kind: 'shareOneDrive', to: ['manager'], role: 'write', revokeOnReturn: true },
    );
    const only = revoking.stages.termination.playbook.filter((s) => s.step === 'shareOneDrive');
    const onlyShare = {
      ...revoking,
      stages: {
        ...revoking.stages,
        termination: { ...revoking.stages.termination, playbook: only },
        retirement: { ...revoking.stages.retirement, playbook: only },
        leave: Object.fromEntries(
          Object.entries(revoking.stages.leave).map(([k, l]) => [k, { ...l, playbook: [] }]),
        ) as unknown as typeof revoking.stages.leave,
      },
    };
    const kept = desiredPlaybook({
      flow: onlyShare,
      record,
      decision: { phase: 'active' },
      now: NOW,
      random: () => 0.5,
    });
    assert.equal(kept.playbook, undefined, 'a share kept on return costs an active worker nothing');
  });

  it('refuses unknown steps and bad options with TENURE_MAPPING', () => {
    const bad = playbookFlow();
    const broken = {
      ...bad,
      stages: {
        ...bad.stages,
        termination: { ...bad.stages.termination, playbook: [{ step: 'teleport', with: {} }] },
      },
    };
    assert.throws(
      () =>
        desiredPlaybook({
          flow: broken,
          record,
          decision: { phase: 'terminated' },
          now: NOW,
          random: () => 0,
        }),
      (e: { code?: string }) => e.code === 'TENURE_MAPPING',
    );
    const badRole = {
      ...bad,
      stages: {
        ...bad.stages,
        termination: {
          ...bad.stages.termination,
          playbook: [{ step: 'shareOneDrive', with: { role: { kind: 'literal' as const, value: 'owner' } } }],
        },
      },
    };
    assert.throws(
      () =>
        desiredPlaybook({
          flow: badRole,
          record,
          decision: { phase: 'terminated' },
          now: NOW,
          random: () => 0,
        }),
      (e: { code?: string }) => e.code === 'TENURE_MAPPING',
    );
  });
});
