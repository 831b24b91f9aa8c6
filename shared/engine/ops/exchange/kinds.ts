// The leaver playbook's operation kinds (issue 9), joined to the engine's plan model by declaration merging as
// plan/model.ts invites. Params are plain data: addresses and flags, never HR values beyond the templated messages.
import type { AutoReplyState, ExternalAudience } from '../../../playbook/ports';

declare module '../../plan/model' {
  interface OperationParamsByKind {
    /** Set-Mailbox -LitigationHoldEnabled (before conversion: hold needs the Plan 2 licence). */
    setLitigationHold: { readonly enabled: boolean; readonly durationDays?: number };
    /** Set-Mailbox -Type Shared | Regular. */
    setMailboxType: { readonly type: 'Shared' | 'Regular' };
    /** Add-MailboxPermission -AccessRights FullAccess. */
    addMailboxPermission: { readonly trustee: string; readonly autoMapping: boolean };
    /** Add-RecipientPermission -AccessRights SendAs. */
    addRecipientPermission: { readonly trustee: string };
    /** Remove-MailboxPermission -AccessRights FullAccess (return with `revokeOnReturn`). */
    removeMailboxPermission: { readonly trustee: string };
    /** Remove-RecipientPermission -AccessRights SendAs (return with `revokeOnReturn`). */
    removeRecipientPermission: { readonly trustee: string };
    /** Set-MailboxAutoReplyConfiguration. */
    setAutoReply: {
      readonly state: Exclude<AutoReplyState, 'Scheduled'>;
      readonly internalMessage?: string;
      readonly externalMessage?: string;
      readonly externalAudience?: ExternalAudience;
    };
    /** Set-Mailbox -ForwardingSmtpAddress (null clears) -DeliverToMailboxAndForward. */
    setForwarding: { readonly address: string | null; readonly keepCopy: boolean };
    /** Set-Mailbox -HiddenFromAddressListsEnabled. */
    setAddressListVisibility: { readonly hidden: boolean };
    /** Set-Mailbox -EmailAddresses @{Remove=…}. */
    removeMailAliases: { readonly addresses: readonly string[] };
    /** POST /drives/{id}/root/invite (no e-mail sent); driveId null when it could not be observed. */
    shareOneDrive: {
      readonly driveId: string | null;
      readonly recipients: readonly string[];
      readonly role: 'read' | 'write';
    };
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
] as const;
