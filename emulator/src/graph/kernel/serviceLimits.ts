// Throttling limits of the Graph workloads other than the directory (https://learn.microsoft.com/graph/throttling-limits):
// the global per-app limit every Graph request counts against, Outlook's per app+mailbox request limit and per-app
// concurrency (mailboxSettings), and SharePoint's resource-unit limits for OneDrive
// (https://learn.microsoft.com/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online).
// Each workload keeps its own budget: exhausting the directory's does not throttle Outlook or OneDrive calls.
import type { EmulatorState } from '../../state/store';
import type { Tenant } from '../../state/model';
import type { BucketCharge, BucketOutcome, LimitSpec } from './throttle';
import { graphSettings } from './settings';

/** "Any request: 130,000 requests per 10 seconds" per app across all tenants (Learn, current figure). */
export const GLOBAL_APP_LIMIT: LimitSpec = {
  service: 'global',
  scope: 'Global_Application',
  limit: 'ReadWrite',
  information: 'GlobalLimitExceeded',
  capacity: 130_000,
  windowMs: 10_000,
};

export function globalCharge(appId: string): BucketCharge {
  return { key: `g:${appId}`, spec: GLOBAL_APP_LIMIT, need: 1 };
}

/** Outlook: "10,000 API requests in a 10 minute period" per app ID and mailbox. */
export const OUTLOOK_MAILBOX_LIMIT: LimitSpec = {
  service: 'outlook',
  scope: 'Outlook_Mailbox_Application',
  limit: 'ReadWrite',
  information: 'MailboxRequestLimitExceeded',
  capacity: 10_000,
  windowMs: 600_000,
};

/** Outlook: "up to 4 concurrent requests" per app ID, whichever mailboxes they target. */
export const OUTLOOK_CONCURRENCY = 4;

export function outlookCharges(tenant: Tenant, appId: string, mailboxId: string): BucketCharge[] {
  return [{ key: `o-mbx:${tenant.id}:${appId}:${mailboxId}`, spec: OUTLOOK_MAILBOX_LIMIT, need: 1 }];
}

/**
 * Requests of one app in flight against Outlook (all tenants, all mailboxes). `tryEnter` takes a slot or says no;
 * the pipeline calls `leave` once the answer is ready.
 */
export function outlookConcurrency(state: EmulatorState): {
  tryEnter(appId: string): boolean;
  leave(appId: string): void;
} {
  const inFlight = state.extension<Map<string, number>>('graph.outlook.inFlight', () => new Map());
  return {
    tryEnter(appId) {
      const n = inFlight.get(appId) ?? 0;
      if (n >= OUTLOOK_CONCURRENCY) return false;
      inFlight.set(appId, n + 1);
      return true;
    },
    leave(appId) {
      const n = (inFlight.get(appId) ?? 1) - 1;
      if (n <= 0) inFlight.delete(appId);
      else inFlight.set(appId, n);
    },
  };
}

/** SharePoint's limits by the tenant's licence count: per app per minute, per app per 24 h, per tenant per 5 min. */
const FILES_TIERS: { upTo: number; appPerMinute: number; appPerDay: number; tenantPer5Min: number }[] = [
  { upTo: 1_000, appPerMinute: 1_250, appPerDay: 1_200_000, tenantPer5Min: 18_750 },
  { upTo: 5_000, appPerMinute: 2_500, appPerDay: 2_400_000, tenantPer5Min: 37_500 },
  { upTo: 15_000, appPerMinute: 3_750, appPerDay: 3_600_000, tenantPer5Min: 56_250 },
  { upTo: 50_000, appPerMinute: 5_000, appPerDay: 4_800_000, tenantPer5Min: 75_000 },
  { upTo: Infinity, appPerMinute: 6_250, appPerDay: 6_000_000, tenantPer5Min: 93_750 },
];

/** SharePoint's user limit: 3,000 requests per 5 minutes per user (delegated calls). */
export const FILES_USER_LIMIT = { capacity: 3_000, windowMs: 300_000 };

/** Licences in use in the tenant: the users holding at least one licence. */
function licenceCount(tenant: Tenant): number {
  let n = 0;
  for (const u of tenant.users.values()) if (u.assignedLicenses.length > 0) n++;
  return n;
}

function filesTier(tenant: Tenant): (typeof FILES_TIERS)[number] {
  const n = licenceCount(tenant);
  return FILES_TIERS.find((t) => n <= t.upTo)!;
}

// Scopes and information carry a SharePoint prefix so the admin view of a tenant's buckets never mixes them up
// with the directory's Tenant_Application/ResourceUnitLimitExceeded bucket.
const filesSpec = (scope: string, capacity: number, windowMs: number): LimitSpec => ({
  service: 'files',
  scope: `SharePoint_${scope}`,
  limit: 'ReadWrite',
  information: 'SharePointResourceUnitLimitExceeded',
  capacity,
  windowMs,
});

/**
 * The SharePoint buckets a OneDrive request falls in. Resource units per Graph request (SharePoint's table): 1 for a
 * single-item read, 2 for a multi-item query or a create/update/delete, 5 for any permission operation.
 */
export function filesCharges(
  tenant: Tenant,
  caller: { kind: 'app' | 'user'; appId: string; principalId: string },
  resourceUnits: number,
): BucketCharge[] {
  const tier = filesTier(tenant);
  const charges: BucketCharge[] = [
    {
      key: `f-am:${tenant.id}:${caller.appId}`,
      spec: filesSpec('Tenant_Application', tier.appPerMinute, 60_000),
      need: resourceUnits,
    },
    {
      key: `f-ad:${tenant.id}:${caller.appId}`,
      spec: filesSpec('Tenant_Application', tier.appPerDay, 86_400_000),
      need: resourceUnits,
    },
    {
      key: `f-t:${tenant.id}`,
      spec: filesSpec('Tenant', tier.tenantPer5Min, 300_000),
      need: resourceUnits,
    },
  ];
  if (caller.kind === 'user')
    charges.push({
      key: `f-u:${tenant.id}:${caller.principalId}`,
      spec: { ...filesSpec('User', FILES_USER_LIMIT.capacity, FILES_USER_LIMIT.windowMs), limit: 'Requests' },
      need: 1,
    });
  return charges;
}

/**
 * SharePoint's RateLimit headers, sent once an app has used 80 % of its per-minute resource units: the limit, what
 * remains, and the seconds until the bucket is full again (emulator clock, scaled by timeScale).
 */
export function filesRateLimitHeaders(state: EmulatorState, outcome: BucketOutcome): Record<string, string> {
  const perMinute = (u: { charge: BucketCharge }) => u.charge.key.startsWith('f-am:');
  const use = outcome.ok
    ? outcome.uses.find(perMinute)
    : perMinute(outcome.refused)
      ? outcome.refused
      : undefined;
  if (!use || use.used < 0.8) return {};
  const { capacity, windowMs } = use.charge.spec;
  const { timeScale } = graphSettings(state);
  const resetSeconds = Math.ceil(((capacity - use.tokens) * windowMs) / capacity / timeScale / 1000);
  return {
    'RateLimit-Limit': String(capacity),
    'RateLimit-Remaining': String(Math.max(0, Math.floor(use.tokens))),
    'RateLimit-Reset': String(Math.max(0, resetSeconds)),
  };
}
