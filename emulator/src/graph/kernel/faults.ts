// Per-tenant fault injection for Graph: added latency (fixed or drawn from a distribution), a share of 503/504
// answers with Retry-After (https://learn.microsoft.com/graph/errors: 503 "You may repeat the request after a
// delay ... Retry-After"; 504 "may occur together with 503"), and replication lag for list/$filter results.
// Each tenant has its own seeded random source so a test's failures are reproducible.
import type { SeedGraphFaults } from '../../state/seed';
import type { Tenant } from '../../state/model';
import { tenantExtension } from '../../state/store';
import { SeededRandom } from './random';

export type GraphFaults = SeedGraphFaults;

interface FaultState {
  faults: GraphFaults;
  random: SeededRandom;
}

export class GraphFaultsError extends Error {
  readonly code = 'EMULATOR_GRAPH_FAULTS_INVALID';
}

const KEY = 'graph.faults';

function stateOf(tenant: Tenant): FaultState {
  return tenantExtension<FaultState>(tenant, KEY, () => {
    const seeded = (tenant.extensions.get('graph.seedFaults') as GraphFaults | undefined) ?? {};
    const faults = validateFaults(seeded, `tenant ${tenant.id} graph.faults`);
    return { faults, random: new SeededRandom(faults.randomSeed ?? 1) };
  });
}

export function tenantFaults(tenant: Tenant): GraphFaults {
  return stateOf(tenant).faults;
}

/** Replaces a tenant's faults (admin endpoint); the random source restarts from the given or default seed. */
export function setTenantFaults(tenant: Tenant, input: unknown): GraphFaults {
  const faults = validateFaults(input, 'faults');
  tenant.extensions.set(KEY, {
    faults,
    random: new SeededRandom(faults.randomSeed ?? 1),
  } satisfies FaultState);
  return faults;
}

/** Milliseconds of latency to add to this request (0 when none is configured). */
export function drawLatencyMs(tenant: Tenant): number {
  const { faults, random } = stateOf(tenant);
  const l = faults.latency;
  if (!l) return 0;
  let ms: number;
  if ('fixedMs' in l) ms = l.fixedMs;
  else if (l.distribution === 'uniform') ms = l.minMs + random.next() * (l.maxMs - l.minMs);
  else ms = l.meanMs + random.normal() * l.stddevMs;
  return Math.max(0, Math.round(ms));
}

/** A 503/504 to answer instead of the real one, or undefined. */
export function drawInjectedError(tenant: Tenant): { status: number; retryAfterSeconds: number } | undefined {
  const { faults, random } = stateOf(tenant);
  const rate = faults.errorRate ?? 0;
  if (rate <= 0 || random.next() >= rate) return undefined;
  const statuses =
    faults.errorStatuses && faults.errorStatuses.length > 0 ? faults.errorStatuses : [503, 504];
  const status = statuses[Math.floor(random.next() * statuses.length)]!;
  return { status, retryAfterSeconds: faults.errorRetryAfterSeconds ?? 5 };
}

/**
 * Whether an object changed at `changedAt` is still invisible to list and $filter results at `now` (Graph's
 * eventual consistency). GET by id always sees it.
 */
export function hiddenByReplicationLag(tenant: Tenant, changedAt: number, now: number): boolean {
  const lag = stateOf(tenant).faults.replicationLagMs ?? 0;
  return lag > 0 && now - changedAt < lag;
}

function isNum(v: unknown, min = 0): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min;
}

export function validateFaults(input: unknown, where: string): GraphFaults {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw new GraphFaultsError(`${where}: expected an object`);
  const f = input as Record<string, unknown>;
  const known = [
    'latency',
    'errorRate',
    'errorStatuses',
    'errorRetryAfterSeconds',
    'replicationLagMs',
    'randomSeed',
  ];
  for (const k of Object.keys(f))
    if (!known.includes(k))
      throw new GraphFaultsError(`${where}: unknown field "${k}" (known: ${known.join(', ')})`);
  const out: GraphFaults = {};
  if (f.latency !== undefined) {
    const l = f.latency as Record<string, unknown>;
    if (l === null || typeof l !== 'object')
      throw new GraphFaultsError(`${where}.latency: expected an object`);
    if (l.fixedMs !== undefined) {
      if (!isNum(l.fixedMs)) throw new GraphFaultsError(`${where}.latency.fixedMs: expected a number ≥ 0`);
      out.latency = { fixedMs: l.fixedMs };
    } else if (l.distribution === 'uniform') {
      if (!isNum(l.minMs) || !isNum(l.maxMs) || l.maxMs < l.minMs)
        throw new GraphFaultsError(`${where}.latency: uniform needs 0 ≤ minMs ≤ maxMs`);
      out.latency = { distribution: 'uniform', minMs: l.minMs, maxMs: l.maxMs };
    } else if (l.distribution === 'normal') {
      if (!isNum(l.meanMs) || !isNum(l.stddevMs))
        throw new GraphFaultsError(`${where}.latency: normal needs meanMs ≥ 0 and stddevMs ≥ 0`);
      out.latency = { distribution: 'normal', meanMs: l.meanMs, stddevMs: l.stddevMs };
    } else
      throw new GraphFaultsError(
        `${where}.latency: give {fixedMs}, {distribution:"uniform",minMs,maxMs} or {distribution:"normal",meanMs,stddevMs}`,
      );
  }
  if (f.errorRate !== undefined) {
    if (!isNum(f.errorRate) || f.errorRate > 1)
      throw new GraphFaultsError(`${where}.errorRate: expected 0…1`);
    out.errorRate = f.errorRate;
  }
  if (f.errorStatuses !== undefined) {
    if (!Array.isArray(f.errorStatuses) || f.errorStatuses.some((s) => s !== 503 && s !== 504))
      throw new GraphFaultsError(`${where}.errorStatuses: expected a list of 503 and/or 504`);
    out.errorStatuses = f.errorStatuses as number[];
  }
  if (f.errorRetryAfterSeconds !== undefined) {
    if (!isNum(f.errorRetryAfterSeconds))
      throw new GraphFaultsError(`${where}.errorRetryAfterSeconds: expected a number ≥ 0`);
    out.errorRetryAfterSeconds = f.errorRetryAfterSeconds;
  }
  if (f.replicationLagMs !== undefined) {
    if (!isNum(f.replicationLagMs))
      throw new GraphFaultsError(`${where}.replicationLagMs: expected a number ≥ 0`);
    out.replicationLagMs = f.replicationLagMs;
  }
  if (f.randomSeed !== undefined) {
    if (!Number.isInteger(f.randomSeed))
      throw new GraphFaultsError(`${where}.randomSeed: expected an integer`);
    out.randomSeed = f.randomSeed as number;
  }
  return out;
}
