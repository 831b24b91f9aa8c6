// The cmdlets the emulated admin API runs, by name (case-insensitive, as PowerShell resolves them).
import { getMailboxAutoReplyConfiguration, setMailboxAutoReplyConfiguration } from './autoReply';
import { getMailbox, getMailboxStatistics, setMailbox } from './mailbox';
import {
  addMailboxPermission,
  addRecipientPermission,
  getMailboxPermission,
  getRecipientPermission,
  removeMailboxPermission,
  removeRecipientPermission,
} from './permissions';
import type { CmdletDefinition } from './types';

const ALL: CmdletDefinition[] = [
  getMailbox,
  getMailboxStatistics,
  setMailbox,
  getMailboxAutoReplyConfiguration,
  setMailboxAutoReplyConfiguration,
  addMailboxPermission,
  removeMailboxPermission,
  getMailboxPermission,
  addRecipientPermission,
  removeRecipientPermission,
  getRecipientPermission,
];

const BY_NAME = new Map(ALL.map((c) => [c.name.toLowerCase(), c]));

export function findCmdlet(name: string): CmdletDefinition | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

export const CMDLET_NAMES = ALL.map((c) => c.name);
