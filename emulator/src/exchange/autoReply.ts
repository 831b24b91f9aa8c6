// Auto-reply state, one per mailbox, kept in Exchange's vocabulary (Get-/Set-MailboxAutoReplyConfiguration) and
// shared with Graph's mailboxSettings.automaticRepliesSetting, which maps alwaysEnabled↔Enabled and
// contactsOnly↔Known (graph-spec.md §7.3, §7.4).
import type { Mailbox } from '../state/model';

export const AUTO_REPLY_STATES = ['Disabled', 'Enabled', 'Scheduled'] as const;
export const EXTERNAL_AUDIENCES = ['None', 'Known', 'All'] as const;
export type AutoReplyState = (typeof AUTO_REPLY_STATES)[number];
export type ExternalAudience = (typeof EXTERNAL_AUDIENCES)[number];

export interface AutoReply {
  AutoReplyState: AutoReplyState;
  ExternalAudience: ExternalAudience;
  InternalMessage: string;
  ExternalMessage: string;
  /** ISO UTC. */
  StartTime: string;
  EndTime: string;
}

const HOUR = 3_600_000;

/** The mailbox's auto-reply with defaults filled in (and persisted, so StartTime/EndTime stay stable). */
export function readAutoReply(mailbox: Mailbox, now: number): AutoReply {
  const a = mailbox.autoReply;
  const nextHour = Math.ceil(now / HOUR) * HOUR;
  a.AutoReplyState ??= 'Disabled';
  a.ExternalAudience ??= 'All';
  a.InternalMessage ??= '';
  a.ExternalMessage ??= '';
  a.StartTime ??= new Date(nextHour).toISOString();
  a.EndTime ??= new Date(nextHour + 24 * HOUR).toISOString();
  return a as unknown as AutoReply;
}

/** Exchange stores reply messages as HTML: plain text comes back wrapped, as Get-MailboxAutoReplyConfiguration shows. */
export function asStoredHtml(message: string): string {
  if (message === '' || /<html[\s>]/i.test(message)) return message;
  return `<html>\n<body>\n${message}\n</body>\n</html>\n`;
}

/** Rejects a scheduled reply whose end is not after its start; returns the problem text or undefined. */
export function scheduleProblem(next: AutoReply): string | undefined {
  if (next.AutoReplyState !== 'Scheduled') return undefined;
  if (Date.parse(next.EndTime) <= Date.parse(next.StartTime))
    return 'The end time for the automatic reply must be later than the start time.';
  return undefined;
}

export function writeAutoReply(mailbox: Mailbox, next: AutoReply): void {
  Object.assign(mailbox.autoReply, next);
}
