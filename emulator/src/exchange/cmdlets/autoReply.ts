// Get-/Set-MailboxAutoReplyConfiguration (https://learn.microsoft.com/powershell/module/exchange/set-mailboxautoreplyconfiguration).
import {
  asStoredHtml,
  AUTO_REPLY_STATES,
  EXTERNAL_AUDIENCES,
  readAutoReply,
  scheduleProblem,
  writeAutoReply,
  type AutoReply,
} from '../autoReply';
import { invalidValue } from '../errors';
import { aliasOf, resolveMailbox } from '../mailboxes';
import { COMMON_PARAMETERS, noChangeWarning, type CmdletDefinition } from './types';

export const getMailboxAutoReplyConfiguration: CmdletDefinition = {
  name: 'Get-MailboxAutoReplyConfiguration',
  parameters: ['Identity', ...COMMON_PARAMETERS],
  writes: false,
  run({ tenant, params, now }) {
    const { user, mailbox } = resolveMailbox(
      tenant,
      params.requiredString('Identity', 'Get-MailboxAutoReplyConfiguration'),
      now,
    );
    const a = readAutoReply(mailbox, now);
    const alias = aliasOf(user, mailbox);
    return {
      value: [
        {
          Identity: alias,
          MailboxOwnerId: alias,
          AutoReplyState: a.AutoReplyState,
          StartTime: a.StartTime,
          EndTime: a.EndTime,
          ExternalAudience: a.ExternalAudience,
          InternalMessage: a.InternalMessage,
          ExternalMessage: a.ExternalMessage,
          AutoDeclineFutureRequestsWhenOOF: false,
          CreateOOFEvent: false,
          DeclineAllEventsForScheduledPeriod: false,
          DeclineEventsForScheduledPeriod: false,
          IsValid: true,
        },
      ],
    };
  },
};

export const setMailboxAutoReplyConfiguration: CmdletDefinition = {
  name: 'Set-MailboxAutoReplyConfiguration',
  parameters: [
    'Identity',
    'AutoReplyState',
    'InternalMessage',
    'ExternalMessage',
    'ExternalAudience',
    'StartTime',
    'EndTime',
    ...COMMON_PARAMETERS,
  ],
  writes: true,
  run({ tenant, params, now }) {
    const { user, mailbox } = resolveMailbox(
      tenant,
      params.requiredString('Identity', 'Set-MailboxAutoReplyConfiguration'),
      now,
    );
    const current = readAutoReply(mailbox, now);
    const state = params.enumValue(
      'AutoReplyState',
      'Microsoft.Exchange.Data.Storage.OofState',
      AUTO_REPLY_STATES,
    );
    const audience = params.enumValue(
      'ExternalAudience',
      'Microsoft.Exchange.Data.Storage.ExternalAudience',
      EXTERNAL_AUDIENCES,
    );
    const start = params.date('StartTime');
    const end = params.date('EndTime');
    const internal = params.string('InternalMessage');
    const external = params.string('ExternalMessage');
    const next: AutoReply = {
      ...current,
      AutoReplyState: state ?? current.AutoReplyState,
      ExternalAudience: audience ?? current.ExternalAudience,
      InternalMessage: internal === undefined ? current.InternalMessage : asStoredHtml(internal),
      ExternalMessage: external === undefined ? current.ExternalMessage : asStoredHtml(external),
      StartTime: start ? start.toISOString() : current.StartTime,
      EndTime: end ? end.toISOString() : current.EndTime,
    };
    const problem = scheduleProblem(next);
    if (problem) throw invalidValue(problem);
    const changed = JSON.stringify(next) !== JSON.stringify({ ...current });
    writeAutoReply(mailbox, next);
    return { value: [], warnings: changed ? undefined : [noChangeWarning(aliasOf(user, mailbox))] };
  },
};
