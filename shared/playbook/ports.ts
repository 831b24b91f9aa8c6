/**
 * Ports of the leaver playbook: what its observe step and op appliers need from Exchange Online and OneDrive.
 * Adapters: shared/exchange (MailboxService over the admin API, ExchangeLicencePlans over Graph) and
 * shared/onedrive (OneDriveService over Graph). Identities are Entra object ids or UPNs; never HR values.
 */

export type MailboxType = 'UserMailbox' | 'SharedMailbox' | 'Other';

export interface MailboxSnapshot {
  readonly type: MailboxType;
  readonly litigationHold: boolean;
  /** In-place archive enabled (`ArchiveStatus: Active`). */
  readonly archive: boolean;
  readonly hiddenFromAddressLists: boolean;
  /** Bare address (no `smtp:`), or null. */
  readonly forwardingSmtpAddress: string | null;
  readonly deliverToMailboxAndForward: boolean;
  readonly displayName: string;
  /** Proxy addresses as Exchange lists them (`SMTP:` primary, `smtp:` aliases, other prefixes). */
  readonly emailAddresses: readonly string[];
  readonly primarySmtpAddress: string;
}

export type AutoReplyState = 'Disabled' | 'Enabled' | 'Scheduled';
export type ExternalAudience = 'None' | 'Known' | 'All';

export interface AutoReplySnapshot {
  readonly state: AutoReplyState;
  readonly internalMessage: string;
  readonly externalMessage: string;
  readonly externalAudience: ExternalAudience;
}

export interface SetMailboxChanges {
  readonly type?: 'Shared' | 'Regular';
  readonly litigationHoldEnabled?: boolean;
  readonly litigationHoldDurationDays?: number;
  readonly hiddenFromAddressListsEnabled?: boolean;
  /** null clears forwarding. */
  readonly forwardingSmtpAddress?: string | null;
  readonly deliverToMailboxAndForward?: boolean;
  readonly removeEmailAddresses?: readonly string[];
}

export interface MailboxService {
  /** Null when the user has no mailbox (TENURE_EXCHANGE_NOT_FOUND is absorbed). */
  getMailbox(identity: string): Promise<MailboxSnapshot | null>;
  /** Get-MailboxStatistics TotalItemSize in bytes. */
  totalItemSizeBytes(identity: string): Promise<number>;
  getAutoReply(identity: string): Promise<AutoReplySnapshot>;
  /** Explicit (not inherited, not SELF) FullAccess trustees, lower-cased. */
  fullAccessTrustees(identity: string): Promise<string[]>;
  /** Explicit Send As trustees, lower-cased. */
  sendAsTrustees(identity: string): Promise<string[]>;
  setMailbox(identity: string, changes: SetMailboxChanges): Promise<void>;
  setAutoReply(
    identity: string,
    reply: {
      state: AutoReplyState;
      internalMessage?: string;
      externalMessage?: string;
      externalAudience?: ExternalAudience;
    },
  ): Promise<void>;
  /** Idempotent: an existing entry is success. */
  addFullAccess(identity: string, trustee: string, autoMapping: boolean): Promise<void>;
  addSendAs(identity: string, trustee: string): Promise<void>;
  /** Idempotent: a missing entry is success. */
  removeFullAccess(identity: string, trustee: string): Promise<void>;
  removeSendAs(identity: string, trustee: string): Promise<void>;
}

/** Which of a user's assigned licences give Exchange Online Plan 2 rights (hold, archive, >50 GB). */
export interface LicencePlans {
  exchangePlan2SkuIds(userId: string): Promise<string[]>;
}

export interface DriveGrant {
  readonly permissionId: string;
  /** Lower-cased e-mail or UPN of the grantee when known. */
  readonly email?: string;
  readonly userId?: string;
  readonly roles: readonly string[];
  /** Inherited from a parent (`inheritedFrom` set): Graph refuses to delete it here, so it is never revoked. */
  readonly inherited?: true;
}

export interface OneDriveService {
  /** The user's OneDrive id; null when it does not exist (not provisioned). */
  getDriveId(userId: string): Promise<string | null>;
  /** Grants on the root other than the owner's. */
  rootGrants(driveId: string): Promise<DriveGrant[]>;
  /** POST /drives/{id}/root/invite, without sending an e-mail; idempotent on Graph's side. */
  inviteToRoot(driveId: string, recipients: readonly string[], role: 'read' | 'write'): Promise<void>;
  /** DELETE of one root permission; idempotent: a permission already gone is success. */
  removeRootGrant(driveId: string, permissionId: string): Promise<void>;
}
