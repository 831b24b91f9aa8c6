/**
 * Reads what the playbook needs to plan only differences: the mailbox (Get-Mailbox, Get-MailboxStatistics,
 * Get-MailboxAutoReplyConfiguration, Get-MailboxPermission, Get-RecipientPermission), the OneDrive's root grants,
 * which licences give Exchange Plan 2 rights, and the manager's address. A refusal retrying cannot fix (no
 * Exchange.ManageAsApp, no role, no exchange add-on) is recorded as `unavailable` so the steps fail with that
 * reason while the rest of the plan applies; transient failures are thrown (the whole run is retried).
 */
import { TenureError, isTenureError } from '../engine/errors';
import type { ObservedUser } from '../engine/observe/model';
import type { Directory } from '../engine/ports';
import type {
  DesiredPlaybook,
  ObservedMailbox,
  ObservedManager,
  ObservedOneDrive,
  ObservedPlaybook,
  Observation,
} from './model';
import type { LicencePlans, MailboxService, OneDriveService } from './ports';
import { MAILBOX_STEPS } from './steps';

/** The playbook's adapters for one connection (built by shared/exchange/playbookPorts.ts). */
export interface PlaybookPorts {
  /** Absent when the connection has no exchange add-on. */
  readonly mailboxes?: MailboxService;
  /** Absent when the connection has no sharepoint add-on. */
  readonly oneDrive?: OneDriveService;
  readonly licencePlans?: LicencePlans;
}

export interface PlaybookObservePorts extends PlaybookPorts {
  readonly directory: Pick<Directory, 'getUser'>;
}

export function notConfigured(what: 'exchange' | 'sharepoint'): TenureError {
  return new TenureError(
    'TENURE_EXCHANGE_NOT_CONFIGURED',
    what === 'exchange'
      ? "The flow's playbook has mailbox steps but the connection has no exchange add-on; add it and relink."
      : "The flow's playbook shares the OneDrive but the connection has no sharepoint add-on; add it and relink.",
  );
}

async function guarded<T>(read: () => Promise<Observation<T>>): Promise<Observation<T>> {
  try {
    return await read();
  } catch (error) {
    if (isTenureError(error) && error.terminal) {
      return { status: 'unavailable', code: error.code, reason: error.message };
    }
    throw error;
  }
}

async function readMailbox(mailboxes: MailboxService, id: string): Promise<Observation<ObservedMailbox>> {
  const mailbox = await mailboxes.getMailbox(id);
  if (!mailbox) return { status: 'absent' };
  const [sizeBytes, autoReply, fullAccess, sendAs] = await Promise.all([
    mailboxes.totalItemSizeBytes(id),
    mailboxes.getAutoReply(id),
    mailboxes.fullAccessTrustees(id),
    mailboxes.sendAsTrustees(id),
  ]);
  return { status: 'present', mailbox, sizeBytes, autoReply, fullAccess, sendAs };
}

async function readDrive(oneDrive: OneDriveService, id: string): Promise<Observation<ObservedOneDrive>> {
  const driveId = await oneDrive.getDriveId(id);
  if (!driveId) return { status: 'absent' };
  return { status: 'present', driveId, grants: await oneDrive.rootGrants(driveId) };
}

async function readManager(
  directory: Pick<Directory, 'getUser'>,
  managerObjectId: string | null,
): Promise<ObservedManager | null> {
  if (!managerObjectId) return null;
  const manager = await directory.getUser(managerObjectId);
  const upn = manager?.attributes.userPrincipalName;
  if (!manager || typeof upn !== 'string') return null;
  const mail =
    typeof manager.attributes.mail === 'string' && manager.attributes.mail ? manager.attributes.mail : upn;
  return { objectId: manager.id, userPrincipalName: upn.toLowerCase(), mail: mail.toLowerCase() };
}

const LEAVER_PHASES: ReadonlySet<string> = new Set(['leave', 'terminated', 'retired', 'deleted']);

/**
 * An active worker's mailbox, read only as far as a return needs: in full when the worker comes back from a leaver
 * phase (or is seen for the first time); otherwise one Get-Mailbox, in full only when a return was left unfinished
 * (the mailbox is still shared). A worker who never left costs one read per reconcile, not five.
 */
async function readForReturn(
  mailboxes: MailboxService,
  id: string,
  previousPhase: string | undefined,
): Promise<Observation<ObservedMailbox>> {
  if (previousPhase === undefined || LEAVER_PHASES.has(previousPhase)) return readMailbox(mailboxes, id);
  const mailbox = await mailboxes.getMailbox(id);
  return mailbox?.type === 'SharedMailbox' ? readMailbox(mailboxes, id) : { status: 'absent' };
}

/** What a plan that restores the account knows: nothing of its mailbox or OneDrive yet. */
const NOT_RESTORED = {
  status: 'unavailable',
  code: 'TENURE_PLAYBOOK_NOT_RESTORED',
  reason: 'The account is in deleted items; its mailbox and OneDrive can be read once it is restored.',
} as const;

/**
 * A deleted account coming back: its return is planned blind (each reversal as written, idempotent), and access
 * granted on leaving is revoked from the step's recipients as they resolve now — so the manager is read, the
 * mailbox and OneDrive are not (they cannot be before the restore). Undefined when nothing is revoked.
 */
async function observeRestore(
  ports: PlaybookObservePorts,
  desired: DesiredPlaybook,
  managerObjectId: string | null,
): Promise<ObservedPlaybook | undefined> {
  const revokesMailbox = desired.steps.some((s) => s.kind === 'grantMailboxAccess' && s.revokeOnReturn);
  const revokesDrive = desired.steps.some((s) => s.kind === 'shareOneDrive' && s.revokeOnReturn);
  if (!revokesMailbox && !revokesDrive) return undefined;
  return {
    mailbox: NOT_RESTORED,
    ...(revokesDrive ? { oneDrive: NOT_RESTORED } : {}),
    plan2SkuIds: [],
    manager: await readManager(ports.directory, managerObjectId),
  };
}

export async function observePlaybook(
  ports: PlaybookObservePorts,
  desired: DesiredPlaybook,
  user: ObservedUser | null,
  managerObjectId: string | null,
  previousPhase?: string,
): Promise<ObservedPlaybook | undefined> {
  if (!user) return undefined;
  if (user.deleted)
    return desired.mode === 'return' ? observeRestore(ports, desired, managerObjectId) : undefined;
  const mailboxes = ports.mailboxes;
  const oneDrive = ports.oneDrive;
  // Exchange's documented -Identity forms include the UPN (the Entra object id is the fallback).
  const upn = user.attributes.userPrincipalName;
  const identity = typeof upn === 'string' && upn !== '' ? upn : user.id;
  if (desired.mode === 'return') {
    const mailbox: Observation<ObservedMailbox> = !desired.steps.some((s) => MAILBOX_STEPS.has(s.kind))
      ? { status: 'absent' }
      : await guarded(async () => {
          if (!mailboxes) throw notConfigured('exchange');
          return readForReturn(mailboxes, identity, previousPhase);
        });
    // The OneDrive is read only when a return is under way (as the full mailbox read): coming back from a leaver
    // phase, seen for the first time, or a return left unfinished (the mailbox is still shared).
    const returning =
      previousPhase === undefined || LEAVER_PHASES.has(previousPhase) || mailbox.status === 'present';
    const revokesDrive = desired.steps.some((s) => s.kind === 'shareOneDrive' && s.revokeOnReturn);
    const drive =
      revokesDrive && returning
        ? await guarded(async () => {
            if (!oneDrive) throw notConfigured('sharepoint');
            return readDrive(oneDrive, user.id);
          })
        : undefined;
    const revokesMailbox = desired.steps.some((s) => s.kind === 'grantMailboxAccess' && s.revokeOnReturn);
    const manager =
      (revokesMailbox && mailbox.status === 'present') || drive?.status === 'present'
        ? await readManager(ports.directory, managerObjectId)
        : null;
    return { mailbox, ...(drive ? { oneDrive: drive } : {}), plan2SkuIds: [], manager };
  }
  const needsMailbox = desired.steps.some((s) => MAILBOX_STEPS.has(s.kind));
  const needsDrive = desired.steps.some((s) => s.kind === 'shareOneDrive');
  const mailbox: Observation<ObservedMailbox> = !needsMailbox
    ? { status: 'absent' }
    : await guarded(async () => {
        if (!mailboxes) throw notConfigured('exchange');
        return readMailbox(mailboxes, identity);
      });
  const drive = needsDrive
    ? await guarded(async () => {
        if (!oneDrive) throw notConfigured('sharepoint');
        return readDrive(oneDrive, user.id);
      })
    : undefined;
  const plan2SkuIds = ports.licencePlans ? await ports.licencePlans.exchangePlan2SkuIds(user.id) : [];
  return {
    mailbox,
    ...(drive ? { oneDrive: drive } : {}),
    plan2SkuIds,
    manager: await readManager(ports.directory, managerObjectId),
  };
}
