// Emulator-only admin routes for Exchange: the per-tenant throttling setting, and a look at (and test hooks on)
// mailboxes — size and archive drive the shared-mailbox licence rule; licenseViolation is the observable.
import type { EmulatorContext } from '../context';
import { jsonBody } from '../http/serve';
import type { EmulatorResponse, Router } from '../http/router';
import type { DirectoryUser, Mailbox, Tenant } from '../state/model';
import { hasPlan2Rights } from './licences';
import { allMailboxes, licenceViolation, mailboxOf, sharedMailboxNeedsLicence, upnOf } from './mailboxes';
import { setThrottleSettings, throttleState, type ExchangeThrottleSettings } from './throttling';

export function registerExchangeAdminRoutes(router: Router, ctx: EmulatorContext): void {
  const { state } = ctx;
  const withTenant = (id: string, f: (t: Tenant) => EmulatorResponse): EmulatorResponse => {
    const tenant = state.tenant(id);
    return tenant ? f(tenant) : notFound(`tenant ${id}`);
  };
  router.add('GET', '/_emulator/exchange/{tenant}/throttling', (req) =>
    withTenant(req.params.tenant!, (t) => ({ status: 200, body: throttleState(t).settings })),
  );
  router.add('PUT', '/_emulator/exchange/{tenant}/throttling', (req) =>
    withTenant(req.params.tenant!, (t) => {
      const body = (jsonBody(req) ?? {}) as ExchangeThrottleSettings;
      for (const k of ['rejectNext', 'requestsPerWindow', 'windowSeconds', 'retryAfterSeconds'] as const) {
        const v = body[k];
        if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0))
          return bad(`${k} must be a non-negative number`);
      }
      return { status: 200, body: setThrottleSettings(t, body) };
    }),
  );
  router.add('DELETE', '/_emulator/exchange/{tenant}/throttling', (req) =>
    withTenant(req.params.tenant!, (t) => ({ status: 200, body: setThrottleSettings(t, {}) })),
  );
  router.add('GET', '/_emulator/exchange/{tenant}/mailboxes', (req) =>
    withTenant(req.params.tenant!, (t) => ({
      status: 200,
      body: { value: allMailboxes(t, state.clock.now()).map((r) => describe(t, r.user, r.mailbox)) },
    })),
  );
  router.add('PATCH', '/_emulator/exchange/{tenant}/mailboxes/{user}', (req) =>
    withTenant(req.params.tenant!, (t) => {
      const key = req.params.user!.toLowerCase();
      const user = [...t.users.values()].find((u) => u.id === key || upnOf(u).toLowerCase() === key);
      if (!user) return notFound(`user ${req.params.user}`);
      const mailbox = mailboxOf(t, user, state.clock.now());
      if (!mailbox) return notFound(`mailbox of ${req.params.user} (the user holds no Exchange licence)`);
      const body = (jsonBody(req) ?? {}) as { sizeGb?: unknown; archiveEnabled?: unknown };
      if (body.sizeGb !== undefined) {
        if (typeof body.sizeGb !== 'number' || !(body.sizeGb >= 0)) return bad('sizeGb must be a number ≥ 0');
        mailbox.sizeGb = body.sizeGb;
      }
      if (body.archiveEnabled !== undefined) {
        if (typeof body.archiveEnabled !== 'boolean') return bad('archiveEnabled must be a boolean');
        mailbox.archiveEnabled = body.archiveEnabled;
      }
      return { status: 200, body: describe(t, user, mailbox) };
    }),
  );
}

function describe(tenant: Tenant, user: DirectoryUser, mailbox: Mailbox): Record<string, unknown> {
  return {
    userId: user.id,
    userPrincipalName: upnOf(user),
    recipientTypeDetails: mailbox.recipientTypeDetails,
    sizeGb: mailbox.sizeGb,
    archiveEnabled: mailbox.archiveEnabled === true,
    litigationHoldEnabled: mailbox.properties.LitigationHoldEnabled === true,
    licensedForExceptions: hasPlan2Rights(tenant, user),
    needsLicence: mailbox.recipientTypeDetails === 'UserMailbox' || sharedMailboxNeedsLicence(mailbox),
    licenseViolation: licenceViolation(tenant, user, mailbox),
    properties: mailbox.properties,
    autoReply: mailbox.autoReply,
    mailboxPermissions: mailbox.mailboxPermissions ?? [],
    sendAs: mailbox.sendAs,
  };
}

function bad(message: string): EmulatorResponse {
  return { status: 400, body: { error: 'bad_request', message } };
}

function notFound(what: string): EmulatorResponse {
  return { status: 404, body: { error: 'not_found', message: `${what} does not exist` } };
}
