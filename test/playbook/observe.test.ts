// The playbook's observe step with fake ports: what it reads per mode, and how refusals are recorded (lasting →
// `unavailable`, so steps fail with the reason; transient → thrown, so the run is retried).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TenureError } from '../../shared/engine/errors';
import { observePlaybook, type PlaybookObservePorts } from '../../shared/playbook/observe';
import type { MailboxService, MailboxSnapshot } from '../../shared/playbook/ports';
import { user } from '../engine/fixtures';
import { ALL_STEPS, MANAGER } from './fixtures';

const SNAPSHOT: MailboxSnapshot = {
  type: 'UserMailbox',
  litigationHold: false,
  archive: false,
  hiddenFromAddressLists: false,
  forwardingSmtpAddress: null,
  deliverToMailboxAndForward: false,
  displayName: 'Ada',
  emailAddresses: [],
  primarySmtpAddress: 'ada.lovelace@contoso.test',
};

function fakeMailboxes(calls: string[], over: Partial<MailboxService> = {}): MailboxService {
  const record = (name: string) => (identity: string) => {
    calls.push(`${name} ${identity}`);
  };
  return {
    getMailbox: async (id) => (record('Get-Mailbox')(id), SNAPSHOT),
    totalItemSizeBytes: async (id) => (record('Get-MailboxStatistics')(id), 1024),
    getAutoReply: async (id) => (
      record('Get-MailboxAutoReplyConfiguration')(id),
      { state: 'Disabled', internalMessage: '', externalMessage: '', externalAudience: 'All' }
    ),
    fullAccessTrustees: async (id) => (record('Get-MailboxPermission')(id), []),
    sendAsTrustees: async (id) => (record('Get-RecipientPermission')(id), []),
    setMailbox: async () => assert.fail('observe never writes'),
    setAutoReply: async () => assert.fail('observe never writes'),
    addFullAccess: async () => assert.fail('observe never writes'),
    addSendAs: async () => assert.fail('observe never writes'),
    removeFullAccess: async () => assert.fail('observe never writes'),
    removeSendAs: async () => assert.fail('observe never writes'),
    ...over,
  };
}

function ports(mailboxes?: MailboxService): PlaybookObservePorts {
  return {
    ...(mailboxes ? { mailboxes } : {}),
    oneDrive: {
      getDriveId: async () => 'b!1',
      rootGrants: async () => [],
      inviteToRoot: async () => assert.fail('observe never writes'),
      removeRootGrant: async () => assert.fail('observe never writes'),
    },
    licencePlans: { exchangePlan2SkuIds: async () => ['sku-e3'] },
    directory: {
      getUser: async (id) =>
        id === MANAGER.objectId
          ? user({ id, attributes: { userPrincipalName: 'Grace@Contoso.test', mail: 'grace@contoso.test' } })
          : null,
    },
  };
}

const leaver = { mode: 'leaver' as const, steps: ALL_STEPS };

describe('observePlaybook', () => {
  it('reads the whole mailbox by UPN, the OneDrive, Plan 2 SKUs and the manager for a leaver', async () => {
    const calls: string[] = [];
    const o = await observePlaybook(ports(fakeMailboxes(calls)), leaver, user(), MANAGER.objectId);
    assert.equal(o?.mailbox.status, 'present');
    assert.deepEqual(o?.oneDrive, { status: 'present', driveId: 'b!1', grants: [] });
    assert.deepEqual(o?.plan2SkuIds, ['sku-e3']);
    assert.deepEqual(o?.manager, MANAGER);
    assert.equal(calls.length, 5);
    assert.ok(calls.every((c) => c.endsWith(' ada.lovelace@contoso.test')));
  });

  it('records a lasting refusal as unavailable with its reason', async () => {
    const refused = fakeMailboxes([], {
      getMailbox: async () => {
        throw new TenureError(
          'TENURE_EXCHANGE_UNAUTHORIZED',
          'Exchange Get-Mailbox was refused: no Exchange.ManageAsApp.',
        );
      },
    });
    const o = await observePlaybook(ports(refused), leaver, user(), null);
    assert.deepEqual(o?.mailbox, {
      status: 'unavailable',
      code: 'TENURE_EXCHANGE_UNAUTHORIZED',
      reason: 'Exchange Get-Mailbox was refused: no Exchange.ManageAsApp.',
    });
    const none = await observePlaybook(ports(), leaver, user(), null);
    assert.equal(
      none?.mailbox.status === 'unavailable' && none.mailbox.code,
      'TENURE_EXCHANGE_NOT_CONFIGURED',
    );
  });

  it('throws transient failures so the run is retried', async () => {
    const throttled = fakeMailboxes([], {
      getMailbox: async () => {
        throw new TenureError('TENURE_EXCHANGE_THROTTLED', 'throttled', {}, { terminal: false });
      },
    });
    await assert.rejects(
      observePlaybook(ports(throttled), leaver, user(), null),
      (e: TenureError) => e.code === 'TENURE_EXCHANGE_THROTTLED',
    );
  });

  it('reads one Get-Mailbox for an active worker who never left, everything when coming back', async () => {
    const ret = { mode: 'return' as const, steps: ALL_STEPS };
    const calls: string[] = [];
    const stayed = await observePlaybook(ports(fakeMailboxes(calls)), ret, user(), null, 'active');
    assert.deepEqual(stayed?.mailbox, { status: 'absent' });
    assert.equal(calls.length, 1);
    calls.length = 0;
    const back = await observePlaybook(ports(fakeMailboxes(calls)), ret, user(), null, 'terminated');
    assert.equal(back?.mailbox.status, 'present');
    assert.equal(calls.length, 5);
    assert.equal(await observePlaybook(ports(), ret, user({ deleted: true }), null, 'deleted'), undefined);
  });

  it('for a deleted account coming back, reads only the manager when access is revoked on return', async () => {
    const steps = ALL_STEPS.map((s) =>
      s.kind === 'shareOneDrive' || s.kind === 'grantMailboxAccess' ? { ...s, revokeOnReturn: true } : s,
    );
    const calls: string[] = [];
    const deleted = user({ deleted: true });
    const o = await observePlaybook(
      ports(fakeMailboxes(calls)),
      { mode: 'return', steps },
      deleted,
      MANAGER.objectId,
      'deleted',
    );
    assert.deepEqual(calls, []);
    assert.equal(o?.mailbox.status === 'unavailable' && o.mailbox.code, 'TENURE_PLAYBOOK_NOT_RESTORED');
    assert.equal(o?.oneDrive?.status, 'unavailable');
    assert.deepEqual(o?.manager, MANAGER);
    const kept = { mode: 'return' as const, steps: ALL_STEPS };
    assert.equal(await observePlaybook(ports(), kept, deleted, MANAGER.objectId, 'deleted'), undefined);
  });

  it('reads the OneDrive and the manager on return only when the share is revoked and a return is under way', async () => {
    const steps = ALL_STEPS.map((s) => (s.kind === 'shareOneDrive' ? { ...s, revokeOnReturn: true } : s));
    const ret = { mode: 'return' as const, steps };
    const back = await observePlaybook(ports(fakeMailboxes([])), ret, user(), MANAGER.objectId, 'terminated');
    assert.deepEqual(back?.oneDrive, { status: 'present', driveId: 'b!1', grants: [] });
    assert.deepEqual(back?.manager, MANAGER);
    const stayed = await observePlaybook(ports(fakeMailboxes([])), ret, user(), MANAGER.objectId, 'active');
    assert.equal(stayed?.oneDrive, undefined);
    const kept = await observePlaybook(
      ports(fakeMailboxes([])),
      { mode: 'return', steps: ALL_STEPS },
      user(),
      MANAGER.objectId,
      'terminated',
    );
    assert.equal(kept?.oneDrive, undefined);
    // Only the share to undo: no Exchange read at all.
    const calls: string[] = [];
    const driveOnly = { mode: 'return' as const, steps: steps.filter((s) => s.kind === 'shareOneDrive') };
    const o = await observePlaybook(ports(fakeMailboxes(calls)), driveOnly, user(), null, 'leave');
    assert.deepEqual(calls, []);
    assert.equal(o?.oneDrive?.status, 'present');
  });
});
