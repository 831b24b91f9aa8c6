// Mailbox permissions (FullAccess and friends: Add-/Remove-/Get-MailboxPermission) and Send As
// (Add-/Remove-/Get-RecipientPermission). Re-adding what exists, or removing what does not, succeeds with a
// warning and no output, as Exchange answers (https://learn.microsoft.com/powershell/module/exchange/add-mailboxpermission,
// https://learn.microsoft.com/powershell/module/exchange/add-recipientpermission).
import type { MailboxPermissionEntry } from '../../state/model';
import { parameterBinding } from '../errors';
import { aliasOf, resolveMailbox, resolvePrincipal, upnOf } from '../mailboxes';
import type { CmdletParameters } from '../params';
import { mailboxPermissionView, recipientPermissionView } from '../views';
import { COMMON_PARAMETERS, type CmdletDefinition } from './types';

const MAILBOX_RIGHTS = [
  'FullAccess',
  'ChangeOwner',
  'ChangePermission',
  'DeleteItem',
  'ExternalAccount',
  'ReadPermission',
] as const;
const INHERITANCE = ['None', 'All', 'Children', 'Descendents', 'SelfAndChildren'] as const;
const SELF = 'NT AUTHORITY\\SELF';

function rights(params: CmdletParameters, allowed: readonly string[], typeName: string): string[] {
  const update = params.multiValue('AccessRights');
  const list = update && 'replace' in update ? update.replace : undefined;
  if (!list || list.length === 0)
    throw parameterBinding(
      'Cannot process command because of one or more missing mandatory parameters: AccessRights.',
    );
  return list.map((r) => {
    const match = allowed.find((a) => a.toLowerCase() === r.toLowerCase());
    if (!match)
      throw parameterBinding(
        `Cannot process argument transformation on parameter 'AccessRights'. Cannot convert value "${r}" to type "${typeName}". Error: "Unable to match the identifier name ${r} to a valid enumerator name. Specify one of the following enumerator names and try again: ${allowed.join(', ')}"`,
      );
    return match;
  });
}

function syncFullAccess(entries: MailboxPermissionEntry[]): string[] {
  return entries.filter((e) => e.accessRights.includes('FullAccess')).map((e) => e.trustee);
}

export const addMailboxPermission: CmdletDefinition = {
  name: 'Add-MailboxPermission',
  parameters: [
    'Identity',
    'User',
    'AccessRights',
    'InheritanceType',
    'AutoMapping',
    'Deny',
    ...COMMON_PARAMETERS,
  ],
  writes: true,
  run({ tenant, params, now }) {
    const { user, mailbox } = resolveMailbox(
      tenant,
      params.requiredString('Identity', 'Add-MailboxPermission'),
      now,
    );
    const trustee = resolvePrincipal(tenant, params.requiredString('User', 'Add-MailboxPermission'), now);
    const wanted = rights(
      params,
      MAILBOX_RIGHTS,
      'Microsoft.Exchange.Management.RecipientTasks.MailboxRights',
    );
    const inheritance =
      params.enumValue(
        'InheritanceType',
        'System.DirectoryServices.ActiveDirectorySecurityInheritance',
        INHERITANCE,
      ) ?? 'All';
    const autoMapping = params.boolean('AutoMapping') ?? true;
    if (params.boolean('Deny') === true) throw parameterBinding('Deny permissions are not emulated.');
    const entries = (mailbox.mailboxPermissions ??= []);
    const alias = aliasOf(user, mailbox);
    const existing = entries.find((e) => e.trustee === trustee.id && e.inheritanceType === inheritance);
    const missing = wanted.filter((r) => !existing?.accessRights.includes(r));
    if (missing.length === 0)
      return {
        value: [],
        warnings: [
          `The appropriate access control entry is already present on the object "${alias}" for account "${upnOf(trustee)}".`,
        ],
      };
    if (existing) existing.accessRights.push(...missing);
    else
      entries.push({
        trustee: trustee.id,
        accessRights: [...wanted],
        inheritanceType: inheritance,
        autoMapping,
      });
    if (existing && params.has('AutoMapping')) existing.autoMapping = autoMapping;
    mailbox.fullAccess = syncFullAccess(entries);
    return { value: [mailboxPermissionView(alias, upnOf(trustee), wanted, inheritance)] };
  },
};

export const removeMailboxPermission: CmdletDefinition = {
  name: 'Remove-MailboxPermission',
  parameters: ['Identity', 'User', 'AccessRights', 'InheritanceType', 'Deny', ...COMMON_PARAMETERS],
  writes: true,
  run({ tenant, params, now }) {
    const { user, mailbox } = resolveMailbox(
      tenant,
      params.requiredString('Identity', 'Remove-MailboxPermission'),
      now,
    );
    const trustee = resolvePrincipal(tenant, params.requiredString('User', 'Remove-MailboxPermission'), now);
    const wanted = rights(
      params,
      MAILBOX_RIGHTS,
      'Microsoft.Exchange.Management.RecipientTasks.MailboxRights',
    );
    const inheritance = params.enumValue(
      'InheritanceType',
      'System.DirectoryServices.ActiveDirectorySecurityInheritance',
      INHERITANCE,
    );
    const entries = (mailbox.mailboxPermissions ??= []);
    const alias = aliasOf(user, mailbox);
    let removed = false;
    for (const e of entries) {
      if (e.trustee !== trustee.id || (inheritance && e.inheritanceType !== inheritance)) continue;
      const kept = e.accessRights.filter((r) => !wanted.includes(r));
      if (kept.length !== e.accessRights.length) removed = true;
      e.accessRights = kept;
    }
    mailbox.mailboxPermissions = entries.filter((e) => e.accessRights.length > 0);
    mailbox.fullAccess = syncFullAccess(mailbox.mailboxPermissions);
    if (!removed)
      return {
        value: [],
        warnings: [
          `Can't remove the access control entry on the object "${alias}" for account "${upnOf(trustee)}" because the ACE doesn't exist on the object.`,
        ],
      };
    return { value: [] };
  },
};

export const getMailboxPermission: CmdletDefinition = {
  name: 'Get-MailboxPermission',
  parameters: ['Identity', 'User', ...COMMON_PARAMETERS],
  writes: false,
  run({ tenant, params, now }) {
    const { user, mailbox } = resolveMailbox(
      tenant,
      params.requiredString('Identity', 'Get-MailboxPermission'),
      now,
    );
    const alias = aliasOf(user, mailbox);
    const filter = params.string('User');
    const only = filter ? resolvePrincipal(tenant, filter, now).id : undefined;
    const rows = only ? [] : [mailboxPermissionView(alias, SELF, ['FullAccess', 'ReadPermission'], 'All')];
    for (const e of mailbox.mailboxPermissions ?? []) {
      if (only && e.trustee !== only) continue;
      const trustee = tenant.users.get(e.trustee);
      rows.push(
        mailboxPermissionView(alias, trustee ? upnOf(trustee) : e.trustee, e.accessRights, e.inheritanceType),
      );
    }
    return { value: rows };
  },
};

function sendAsRights(params: CmdletParameters): void {
  rights(params, ['SendAs'], 'Microsoft.Exchange.Management.AdminApiProvider.RecipientAccessRight');
}

export const addRecipientPermission: CmdletDefinition = {
  name: 'Add-RecipientPermission',
  parameters: ['Identity', 'Trustee', 'AccessRights', ...COMMON_PARAMETERS],
  writes: true,
  run({ tenant, params, now }) {
    const { user, mailbox } = resolveMailbox(
      tenant,
      params.requiredString('Identity', 'Add-RecipientPermission'),
      now,
    );
    const trustee = resolvePrincipal(
      tenant,
      params.requiredString('Trustee', 'Add-RecipientPermission'),
      now,
    );
    sendAsRights(params);
    const alias = aliasOf(user, mailbox);
    if (mailbox.sendAs.includes(trustee.id))
      return {
        value: [],
        warnings: [
          `The appropriate access control entry is already present on the object "${alias}" for account "${upnOf(trustee)}".`,
        ],
      };
    mailbox.sendAs.push(trustee.id);
    return { value: [recipientPermissionView(alias, upnOf(trustee))] };
  },
};

export const removeRecipientPermission: CmdletDefinition = {
  name: 'Remove-RecipientPermission',
  parameters: ['Identity', 'Trustee', 'AccessRights', ...COMMON_PARAMETERS],
  writes: true,
  run({ tenant, params, now }) {
    const { user, mailbox } = resolveMailbox(
      tenant,
      params.requiredString('Identity', 'Remove-RecipientPermission'),
      now,
    );
    const trustee = resolvePrincipal(
      tenant,
      params.requiredString('Trustee', 'Remove-RecipientPermission'),
      now,
    );
    sendAsRights(params);
    const alias = aliasOf(user, mailbox);
    if (!mailbox.sendAs.includes(trustee.id))
      return {
        value: [],
        warnings: [
          `Can't remove the access control entry on the object "${alias}" for account "${upnOf(trustee)}" because the ACE doesn't exist on the object.`,
        ],
      };
    mailbox.sendAs = mailbox.sendAs.filter((id) => id !== trustee.id);
    return { value: [] };
  },
};

export const getRecipientPermission: CmdletDefinition = {
  name: 'Get-RecipientPermission',
  parameters: ['Identity', 'Trustee', 'AccessRights', 'ResultSize', ...COMMON_PARAMETERS],
  writes: false,
  run({ tenant, params, now }) {
    const identity = params.string('Identity');
    const trusteeFilter = params.string('Trustee');
    const only = trusteeFilter ? resolvePrincipal(tenant, trusteeFilter, now).id : undefined;
    const targets = identity ? [resolveMailbox(tenant, identity, now)] : [];
    if (!identity)
      for (const [userId, mailbox] of tenant.mailboxes) {
        const user = tenant.users.get(userId);
        if (user) targets.push({ user, mailbox });
      }
    const rows: Record<string, unknown>[] = [];
    for (const { user, mailbox } of targets) {
      const alias = aliasOf(user, mailbox);
      if (!only && identity) rows.push(recipientPermissionView(alias, SELF));
      for (const id of mailbox.sendAs) {
        if (only && id !== only) continue;
        const trustee = tenant.users.get(id);
        rows.push(recipientPermissionView(alias, trustee ? upnOf(trustee) : id));
      }
    }
    return { value: rows.slice(0, params.resultSize() ?? 1000) };
  },
};
