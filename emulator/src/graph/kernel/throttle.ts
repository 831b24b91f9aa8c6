// Graph's identity-and-access throttling (graph-spec.md §4.2, https://learn.microsoft.com/graph/throttling-limits
// "Identity and access service limits"): token buckets refilled continuously, per app+tenant (resource units by
// tenant size, and writes), per tenant (writes, all apps) and per app (all tenants). Time is the emulator clock
// scaled by the `timeScale` setting, so a benchmark can compress an hour of traffic with the same ratios.
import type { EmulatorState } from '../../state/store';
import type { Tenant, TenantSize } from '../../state/model';
import { graphSettings } from './settings';

/** Resource units per 10 s for one app in one tenant, by tenant size (S < 50 users, M 50–500, L > 500). */
export const RESOURCE_UNIT_QUOTA: Record<TenantSize, number> = { S: 3_500, M: 5_000, L: 8_000 };

/**
 * One token bucket: `capacity` units refilled evenly over `windowMs`. `scope`/`limit`/`information` are what a 429
 * reports (x-ms-throttle-* for identity limits); `service` says whose limit it is, so the pipeline answers a refusal
 * the way that service does.
 */
export interface LimitSpec {
  service: 'identity' | 'outlook' | 'files' | 'global';
  scope: string;
  limit: string;
  information: string;
  capacity: number;
  windowMs: number;
}

function limitsFor(tenant: Tenant): (LimitSpec & { key: string; appScoped: boolean })[] {
  return [
    {
      key: 'ta-ru',
      appScoped: true,
      service: 'identity',
      scope: 'Tenant_Application',
      limit: 'ReadWrite',
      information: 'ResourceUnitLimitExceeded',
      capacity: RESOURCE_UNIT_QUOTA[tenant.size] ?? RESOURCE_UNIT_QUOTA.S,
      windowMs: 10_000,
    },
    {
      key: 'ta-w',
      appScoped: true,
      service: 'identity',
      scope: 'Tenant_Application',
      limit: 'Write',
      information: 'WriteLimitExceeded',
      capacity: 3_000,
      windowMs: 150_000,
    },
    {
      key: 't-w',
      appScoped: false,
      service: 'identity',
      scope: 'Tenant',
      limit: 'Write',
      information: 'WriteLimitExceeded',
      capacity: 18_000,
      windowMs: 300_000,
    },
  ];
}

const APP_LIMITS: (LimitSpec & { key: string })[] = [
  {
    key: 'a-ru',
    service: 'identity',
    scope: 'Application',
    limit: 'ReadWrite',
    information: 'ResourceUnitLimitExceeded',
    capacity: 150_000,
    windowMs: 20_000,
  },
  {
    key: 'a-w',
    service: 'identity',
    scope: 'Application',
    limit: 'Write',
    information: 'WriteLimitExceeded',
    capacity: 70_000,
    windowMs: 300_000,
  },
];

interface Bucket {
  spec: LimitSpec;
  tokens: number;
  /** Emulator clock ms of the last refill. */
  last: number;
}

type Buckets = Map<string, Bucket>;

function bucketsOf(state: EmulatorState): Buckets {
  return state.extension<Buckets>('graph.throttle', () => new Map());
}

function refill(b: Bucket, now: number, timeScale: number): void {
  const elapsed = Math.max(0, now - b.last) * timeScale;
  b.tokens = Math.min(b.spec.capacity, b.tokens + (elapsed * b.spec.capacity) / b.spec.windowMs);
  b.last = now;
}

/** What a request costs (graph-spec §4.2). */
export interface RequestCost {
  resourceUnits: number;
  writes: number;
}

/**
 * The documented resource-unit cost of an identity request: GET users 2, GET groups/{id}/members 3,
 * transitiveMembers 5, subscribedSkus 3, directoryObjects/getByIds 3, any other GET 1; any write 1 RU and 1 write.
 * $select −1, $expand +1, $top < 20 −1, minimum 1. `path` is relative to the version (e.g. "/users").
 */
export function identityCost(method: string, path: string, query: URLSearchParams): RequestCost {
  const p = path
    .replace(/^\/(v1\.0|beta)/i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  const m = method.toUpperCase();
  let base = 1;
  let writes = 0;
  if (/^\/directoryobjects\/getbyids$/.test(p)) base = 3;
  else if (m !== 'GET') writes = 1;
  else if (p === '/users' || p === '/me') base = 2;
  else if (/^\/groups\/[^/]+\/members$/.test(p)) base = 3;
  else if (/^\/groups\/[^/]+\/transitivemembers$/.test(p)) base = 5;
  else if (p === '/subscribedskus') base = 3;
  if (m === 'GET' || base === 3) {
    if (query.has('$select')) base -= 1;
    if (query.has('$expand')) base += 1;
    const top = Number(query.get('$top'));
    if (query.has('$top') && Number.isFinite(top) && top < 20) base -= 1;
  }
  return { resourceUnits: Math.max(1, base), writes };
}

export type ThrottleOutcome =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; retryAfterSeconds: number; headers: Record<string, string> };

/** What one request takes from one bucket. */
export interface BucketCharge {
  key: string;
  spec: LimitSpec;
  need: number;
}

/** A bucket after a charge (or after a refused charge): its spec and how full it is (0…1, above 1 when refused). */
export interface BucketUse {
  charge: BucketCharge;
  tokens: number;
  used: number;
}

export type BucketOutcome =
  | { ok: true; uses: BucketUse[] }
  | { ok: false; refused: BucketUse; waitMs: number; retryAfterSeconds: number };

/**
 * Charges a request against every bucket given. When one lacks room the request is refused and nothing is
 * charged, so a client that honours Retry-After gets through exactly when the bucket has refilled. The refusal
 * names the bucket with the longest wait.
 */
export function chargeBuckets(state: EmulatorState, charges: BucketCharge[]): BucketOutcome {
  const { timeScale } = graphSettings(state);
  const now = state.clock.now();
  const buckets = bucketsOf(state);
  const applicable: { bucket: Bucket; charge: BucketCharge }[] = [];
  for (const charge of charges) {
    if (charge.need <= 0) continue;
    let b = buckets.get(charge.key);
    if (!b || b.spec.capacity !== charge.spec.capacity) {
      b = { spec: charge.spec, tokens: charge.spec.capacity, last: now };
      buckets.set(charge.key, b);
    }
    refill(b, now, timeScale);
    applicable.push({ bucket: b, charge });
  }
  let worst: { bucket: Bucket; charge: BucketCharge; waitMs: number } | undefined;
  for (const a of applicable) {
    if (a.bucket.tokens >= a.charge.need) continue;
    const waitMs =
      ((a.charge.need - a.bucket.tokens) * a.bucket.spec.windowMs) / a.bucket.spec.capacity / timeScale;
    if (!worst || waitMs > worst.waitMs) worst = { ...a, waitMs };
  }
  if (worst) {
    const { spec } = worst.bucket;
    return {
      ok: false,
      refused: {
        charge: worst.charge,
        tokens: worst.bucket.tokens,
        used: (spec.capacity - worst.bucket.tokens + worst.charge.need) / spec.capacity,
      },
      waitMs: worst.waitMs,
      retryAfterSeconds: retryAfterSeconds(worst.waitMs, timeScale),
    };
  }
  return {
    ok: true,
    uses: applicable.map((a) => {
      a.bucket.tokens -= a.charge.need;
      return {
        charge: a.charge,
        tokens: a.bucket.tokens,
        used: (a.bucket.spec.capacity - a.bucket.tokens) / a.bucket.spec.capacity,
      };
    }),
  };
}

/** The identity buckets a directory request falls in (app+tenant, tenant, app). */
export function identityCharges(tenant: Tenant, appId: string, cost: RequestCost): BucketCharge[] {
  const charges: BucketCharge[] = [];
  for (const spec of limitsFor(tenant))
    charges.push({
      key: `${spec.key}:${tenant.id}${spec.appScoped ? `:${appId}` : ''}`,
      spec,
      need: spec.limit === 'Write' ? cost.writes : cost.resourceUnits,
    });
  for (const spec of APP_LIMITS)
    charges.push({
      key: `${spec.key}:${appId}`,
      spec,
      need: spec.limit === 'Write' ? cost.writes : cost.resourceUnits,
    });
  return charges;
}

/**
 * The response headers of an identity request: x-ms-resource-unit always; x-ms-throttle-limit-percentage above
 * 80 % of a limit ("returned only when the application consumed more than 0.8 of its limit"); on a refusal also
 * x-ms-throttle-scope and x-ms-throttle-information.
 */
export function identityHeaders(
  tenant: Tenant,
  appId: string,
  cost: RequestCost,
  outcome: BucketOutcome,
): Record<string, string> {
  const headers: Record<string, string> = { 'x-ms-resource-unit': String(cost.resourceUnits) };
  if (!outcome.ok) {
    const { spec } = outcome.refused.charge;
    if (spec.service !== 'identity') return headers;
    return {
      ...headers,
      'x-ms-throttle-limit-percentage': outcome.refused.used.toFixed(1),
      'x-ms-throttle-scope': `${spec.scope}/${spec.limit}/${appId}/${tenant.id}`,
      'x-ms-throttle-information': spec.information,
    };
  }
  let highest = 0;
  for (const u of outcome.uses) if (u.charge.spec.service === 'identity') highest = Math.max(highest, u.used);
  if (highest > 0.8) headers['x-ms-throttle-limit-percentage'] = highest.toFixed(1);
  return headers;
}

/** Charges an identity request against its buckets (see chargeBuckets) and gives its response headers. */
export function chargeRequest(
  state: EmulatorState,
  tenant: Tenant,
  appId: string,
  cost: RequestCost,
): ThrottleOutcome {
  const outcome = chargeBuckets(state, identityCharges(tenant, appId, cost));
  const headers = identityHeaders(tenant, appId, cost, outcome);
  return outcome.ok
    ? { ok: true, headers }
    : { ok: false, retryAfterSeconds: outcome.retryAfterSeconds, headers };
}

/** Whole seconds at real speed (as Graph sends); fractional seconds (ms precision) when time is scaled. */
export function retryAfterSeconds(waitMs: number, timeScale: number): number {
  if (timeScale === 1) return Math.max(1, Math.ceil(waitMs / 1000));
  return Math.max(0.001, Math.ceil(waitMs) / 1000);
}

/** The state of a tenant's buckets (admin endpoint), after refilling to now. */
export function describeBuckets(state: EmulatorState, tenant: Tenant): Record<string, unknown>[] {
  const { timeScale } = graphSettings(state);
  const now = state.clock.now();
  const out: Record<string, unknown>[] = [];
  for (const [key, b] of bucketsOf(state)) {
    if (!key.includes(tenant.id)) continue;
    refill(b, now, timeScale);
    // The bucket's own key (limit, tenant, app) wins over the limit's short key that the spec carries.
    out.push({ ...b.spec, key, tokens: Math.round(b.tokens * 1000) / 1000 });
  }
  return out;
}

/** Refills every bucket of a tenant (and of the apps used in it) — test isolation. */
export function resetBuckets(state: EmulatorState, tenant?: Tenant): void {
  const buckets = bucketsOf(state);
  for (const key of [...buckets.keys()]) if (!tenant || key.includes(tenant.id)) buckets.delete(key);
}
