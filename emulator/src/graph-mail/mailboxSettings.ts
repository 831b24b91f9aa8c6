// Graph GET/PATCH /users/{id|upn}/mailboxSettings (and /me/mailboxSettings), sharing the mailbox's auto-reply with
// Set-/Get-MailboxAutoReplyConfiguration: status disabled|alwaysEnabled|scheduled ↔ AutoReplyState
// Disabled|Enabled|Scheduled, externalAudience none|contactsOnly|all ↔ ExternalAudience None|Known|All
// (graph-spec.md §7.4; https://learn.microsoft.com/graph/api/user-update-mailboxsettings). The routes run through
// the Graph kernel (token, faults, Outlook's throttling, permission) with Outlook's own error codes.
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse, Router } from '../http/router';
import { jsonBody } from '../http/serve';
import { tenantExtension } from '../state/store';
import type { Mailbox, Tenant } from '../state/model';
import { readAutoReply, scheduleProblem, writeAutoReply, type AutoReply } from '../exchange/autoReply';
import { mailboxOf } from '../exchange/mailboxes';
import {
  addGraphRoute,
  GraphError,
  type GraphCall,
  type GraphCaller,
  type GraphRouteOptions,
  type PermissionRule,
} from '../graph/kernel';
import { findUser } from '../graph/directory/userModel';
import { requireDelegatedCaller } from '../graph/kernel/me';
import { ianaZone, utcDateTimeTimeZone, zonedToUtc } from './timeZones';

const READ: PermissionRule = { application: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'] };
const WRITE: PermissionRule = { application: ['MailboxSettings.ReadWrite'] };

const STATUS: Record<string, AutoReply['AutoReplyState']> = {
  disabled: 'Disabled',
  alwaysenabled: 'Enabled',
  scheduled: 'Scheduled',
};
const AUDIENCE: Record<string, AutoReply['ExternalAudience']> = {
  none: 'None',
  contactsonly: 'Known',
  all: 'All',
};
const STATUS_OUT: Record<AutoReply['AutoReplyState'], string> = {
  Disabled: 'disabled',
  Enabled: 'alwaysEnabled',
  Scheduled: 'scheduled',
};
const AUDIENCE_OUT: Record<AutoReply['ExternalAudience'], string> = {
  None: 'none',
  Known: 'contactsOnly',
  All: 'all',
};

const AUTO_REPLY_KEYS = [
  'status',
  'externalAudience',
  'internalReplyMessage',
  'externalReplyMessage',
  'scheduledStartDateTime',
  'scheduledEndDateTime',
];
/** Settings Graph takes that the emulator keeps but gives no behaviour. */
const PLAIN_KEYS = [
  'timeZone',
  'dateFormat',
  'timeFormat',
  'language',
  'workingHours',
  'delegateMeetingMessageDeliveryOptions',
];

/** Outlook's 403 for a caller without the permission (or reaching another user's mailbox). */
const accessDenied = (): GraphError =>
  new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');

/** A 400 for a bad PATCH body, with Outlook's code. */
const bodyError = (code: string, message: string): GraphError => new GraphError(400, code, message);

/**
 * The mailbox a request targets, for Outlook's per app+mailbox limit: the user's id when the path names a known
 * user (by id or UPN), the signed-in user for /me, else the segment itself (the request then fails with 404).
 */
function mailboxKey(req: EmulatorRequest, caller: GraphCaller): string {
  const segment = req.params.user;
  if (segment === undefined) return caller.principalId;
  return findUser(caller.tenant, segment)?.id ?? segment.toLowerCase();
}

const options = (permissions: PermissionRule): GraphRouteOptions => ({
  permissions,
  denied: accessDenied,
  throttle: { service: 'outlook', mailbox: mailboxKey },
});

export function registerMailboxSettingsRoutes(router: Router, ctx: EmulatorContext): void {
  for (const prefix of ['/v1.0/users/{user}', '/v1.0/me']) {
    addGraphRoute(router, ctx, 'GET', `${prefix}/mailboxSettings`, options(READ), (req, call) =>
      get(req, call, false),
    );
    addGraphRoute(
      router,
      ctx,
      'GET',
      `${prefix}/mailboxSettings/automaticRepliesSetting`,
      options(READ),
      (req, call) => get(req, call, true),
    );
    addGraphRoute(router, ctx, 'PATCH', `${prefix}/mailboxSettings`, options(WRITE), (req, call) =>
      patch(req, call),
    );
  }
}

type Target = { tenant: Tenant; userId: string; mailbox: Mailbox };

function target(req: EmulatorRequest, call: GraphCall): Target {
  const { caller, tenant } = call;
  const segment = req.params.user ?? 'me';
  if (segment === 'me') requireDelegatedCaller(caller);
  const user = segment === 'me' ? tenant.users.get(caller.principalId) : findUser(tenant, segment);
  if (!user) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${segment}' is invalid.`);
  // A delegated caller reaches other mailboxes only with the .Shared scopes.
  if (
    caller.kind === 'user' &&
    user.id !== caller.principalId &&
    ![...caller.permissions].some((p) => p.toLowerCase().endsWith('.shared'))
  )
    throw accessDenied();
  const mailbox = mailboxOf(tenant, user, call.now);
  if (!mailbox)
    throw new GraphError(
      404,
      'MailboxNotEnabledForRESTAPI',
      'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
    );
  return { tenant, userId: user.id, mailbox };
}

function plainSettings(tenant: Tenant, userId: string): Record<string, unknown> {
  const all = tenantExtension(
    tenant,
    'graph-mail.settings',
    () => new Map<string, Record<string, unknown>>(),
  );
  let s = all.get(userId);
  if (!s) {
    s = {
      timeZone: 'UTC',
      dateFormat: 'M/d/yyyy',
      timeFormat: 'h:mm tt',
      language: { locale: 'en-US', displayName: 'English (United States)' },
      delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
      workingHours: {
        daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
        startTime: '08:00:00.0000000',
        endTime: '17:00:00.0000000',
        timeZone: { name: 'UTC' },
      },
    };
    all.set(userId, s);
  }
  return s;
}

function autoReplyView(a: AutoReply): Record<string, unknown> {
  return {
    status: STATUS_OUT[a.AutoReplyState],
    externalAudience: AUDIENCE_OUT[a.ExternalAudience],
    internalReplyMessage: a.InternalMessage,
    externalReplyMessage: a.ExternalMessage,
    scheduledStartDateTime: utcDateTimeTimeZone(Date.parse(a.StartTime)),
    scheduledEndDateTime: utcDateTimeTimeZone(Date.parse(a.EndTime)),
  };
}

function context(userId: string, tail: string): string {
  return `https://graph.microsoft.com/v1.0/$metadata#users('${userId}')/${tail}`;
}

function get(req: EmulatorRequest, call: GraphCall, onlyAutoReplies: boolean): EmulatorResponse {
  const t = target(req, call);
  const autoReply = autoReplyView(readAutoReply(t.mailbox, call.now));
  if (onlyAutoReplies)
    return call.json(200, {
      '@odata.context': context(t.userId, 'mailboxSettings/automaticRepliesSetting'),
      ...autoReply,
    });
  return call.json(200, {
    '@odata.context': context(t.userId, 'mailboxSettings'),
    archiveFolder: `AAMkA${Buffer.from(`archive:${t.userId}`).toString('base64url')}`,
    automaticRepliesSetting: autoReply,
    ...plainSettings(t.tenant, t.userId),
    userPurpose: t.mailbox.recipientTypeDetails === 'SharedMailbox' ? 'shared' : 'user',
  });
}

function patch(req: EmulatorRequest, call: GraphCall): EmulatorResponse {
  const t = target(req, call);
  const body = jsonBody(req);
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw bodyError('RequestBodyRead', 'The request body must be a mailboxSettings object.');
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input))
    if (key !== 'automaticRepliesSetting' && !PLAIN_KEYS.includes(key) && !key.startsWith('@odata.'))
      throw unknownProperty(key, 'MailboxSettings');
  let next: AutoReply | undefined;
  if (input.automaticRepliesSetting !== undefined)
    next = nextAutoReply(readAutoReply(t.mailbox, call.now), input.automaticRepliesSetting);
  if (typeof input.timeZone === 'string' && !ianaZone(input.timeZone)) throw invalidTimeZone(input.timeZone);
  // Everything validated: apply.
  const out: Record<string, unknown> = { '@odata.context': context(t.userId, 'mailboxSettings') };
  if (next) {
    writeAutoReply(t.mailbox, next);
    out.automaticRepliesSetting = autoReplyView(next);
  }
  const plain = plainSettings(t.tenant, t.userId);
  for (const key of PLAIN_KEYS)
    if (input[key] !== undefined) {
      plain[key] = input[key];
      out[key] = input[key];
    }
  return call.json(200, out);
}

function unknownProperty(key: string, type: string): GraphError {
  return bodyError(
    'RequestBodyRead',
    `The property '${key}' does not exist on type 'Microsoft.OutlookServices.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
  );
}

function invalidTimeZone(zone: string): GraphError {
  return bodyError(
    'InvalidTimeZone',
    `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${zone}'.`,
  );
}

function enumValue<T>(map: Record<string, T>, value: unknown): T {
  const v = typeof value === 'string' ? map[value.toLowerCase()] : undefined;
  if (v === undefined)
    throw bodyError('RequestBodyRead', `Requested value '${String(value)}' was not found.`);
  return v;
}

function dateTimeTimeZone(value: unknown, name: string): string {
  if (!value || typeof value !== 'object')
    throw bodyError('RequestBodyRead', `The property '${name}' must be a dateTimeTimeZone object.`);
  const { dateTime, timeZone } = value as { dateTime?: unknown; timeZone?: unknown };
  const zoneName = typeof timeZone === 'string' && timeZone !== '' ? timeZone : 'UTC';
  const zone = ianaZone(zoneName);
  if (!zone) throw invalidTimeZone(zoneName);
  const ms = typeof dateTime === 'string' ? zonedToUtc(dateTime, zone) : Number.NaN;
  if (!Number.isFinite(ms))
    throw bodyError(
      'ErrorInvalidTimeSettings',
      `The value '${String(dateTime)}' of '${name}' is not a valid date and time.`,
    );
  return new Date(ms).toISOString();
}

function nextAutoReply(current: AutoReply, value: unknown): AutoReply {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw bodyError(
      'RequestBodyRead',
      "The property 'automaticRepliesSetting' must be an automaticRepliesSetting object.",
    );
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v))
    if (!AUTO_REPLY_KEYS.includes(key) && !key.startsWith('@odata.'))
      throw unknownProperty(key, 'AutomaticRepliesSetting');
  const text = (key: string, fallback: string): string => {
    if (v[key] === undefined) return fallback;
    if (v[key] === null) return '';
    if (typeof v[key] !== 'string')
      throw bodyError('RequestBodyRead', `The property '${key}' must be a string.`);
    return v[key] as string;
  };
  const next: AutoReply = {
    AutoReplyState: v.status === undefined ? current.AutoReplyState : enumValue(STATUS, v.status),
    ExternalAudience:
      v.externalAudience === undefined ? current.ExternalAudience : enumValue(AUDIENCE, v.externalAudience),
    InternalMessage: text('internalReplyMessage', current.InternalMessage),
    ExternalMessage: text('externalReplyMessage', current.ExternalMessage),
    StartTime:
      v.scheduledStartDateTime === undefined
        ? current.StartTime
        : dateTimeTimeZone(v.scheduledStartDateTime, 'scheduledStartDateTime'),
    EndTime:
      v.scheduledEndDateTime === undefined
        ? current.EndTime
        : dateTimeTimeZone(v.scheduledEndDateTime, 'scheduledEndDateTime'),
  };
  const problem = scheduleProblem(next);
  if (problem) throw bodyError('ErrorInvalidTimeSettings', problem);
  return next;
}
