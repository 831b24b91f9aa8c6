// The leaver playbook's operation kinds (issue 9), joined to the engine's plan model by declaration merging as
// plan/model.ts invites. Params are plain data: addresses and flags, never HR values beyond the templated messages.
import type { AutoReplyState, ExternalAudience } from '../../../playbook/ports';
import type { OneDriveRevocation } from '../onedrive/revokeOneDriveShare';

/**
 * The mailbox a cmdlet acts on (`-Identity`): the user's UPN when the plan knew it (documented identity form),
 * else the Entra object id the applier knows.
 */
export interface MailboxTarget {
  readonly mailbox?: string;
}

declare module '../../plan/model' {
  interface OperationParamsByKind {
    /** Set-Mailbox -LitigationHoldEnabled (before conversion: hold needs the Plan 2 licence). */
    setLitigationHold: MailboxTarget & { readonly enabled: boolean; readonly durationDays?: number };
    /** Set-Mailbox -Type Shared | Regular. */
    setMailboxType: MailboxTarget & { readonly type: 'Shared' | 'Regular' };
    /** Add-MailboxPermission -AccessRights FullAccess. */
    addMailboxPermission: MailboxTarget & { readonly trustee: string; readonly autoMapping: boolean };
    /** Add-RecipientPermission -AccessRights SendAs. */
    addRecipientPermission: MailboxTarget & { readonly trustee: string };
    /** Remove-MailboxPermission -AccessRights FullAccess (return with `revokeOnReturn`). */
    removeMailboxPermission: MailboxTarget & { readonly trustee: string };
    /** Remove-RecipientPermission -AccessRights SendAs (return with `revokeOnReturn`). */
    removeRecipientPermission: MailboxTarget & { readonly trustee: string };
    /** Set-MailboxAutoReplyConfiguration. */
    setAutoReply: MailboxTarget & {
      readonly state: Exclude<AutoReplyState, 'Scheduled'>;
      readonly internalMessage?: string;
      readonly externalMessage?: string;
      readonly externalAudience?: ExternalAudience;
    };
    /** Set-Mailbox -ForwardingSmtpAddress (null clears) -DeliverToMailboxAndForward. */
    setForwarding: MailboxTarget & { readonly address: string | null; readonly keepCopy: boolean };
    /** Set-Mailbox -HiddenFromAddressListsEnabled. */
    setAddressListVisibility: MailboxTarget & { readonly hidden: boolean };
    /** Set-Mailbox -EmailAddresses @{Remove=…}. */
    removeMailAliases: MailboxTarget & { readonly addresses: readonly string[] };
    /** POST /drives/{id}/root/invite (no e-mail sent); driveId null when it could not be observed. */
    shareOneDrive: {
      readonly driveId: string | null;
      readonly recipients: readonly string[];
      readonly role: 'read' | 'write';
    };
    /** DELETE of root permissions granted to the recipients (return with `revokeOnReturn`). */
    revokeOneDriveShare: OneDriveRevocation;
  }
}

export const PLAYBOOK_OPERATION_KINDS = [
  'setLitigationHold',
  'setMailboxType',
  'addMailboxPermission',
  'addRecipientPermission',
  'removeMailboxPermission',
  'removeRecipientPermission',
  'setAutoReply',
  'setForwarding',
  'setAddressListVisibility',
  'removeMailAliases',
  'shareOneDrive',
  'revokeOneDriveShare',
] as const;

/** The kinds that act on the OneDrive (Graph) rather than the mailbox (Exchange). */
export const ONEDRIVE_OPERATION_KINDS: readonly string[] = ['shareOneDrive', 'revokeOneDriveShare'];
