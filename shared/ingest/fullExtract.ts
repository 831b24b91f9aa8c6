/**
 * A full extract (`full=true`) lists every worker HR still has. Managed workers that are missing from it — and not
 * already terminated — are handled as the flow's `fullExtract.missingWorkers` says: `report` lists them; `terminate`
 * also sends each a termination snapshot (its last stored record with a terminated status). Workers whose rows were
 * rejected still count as present: a typo in one row must never terminate anyone. When some row has no readable
 * employee ID, nobody is terminated (that row could be any of them).
 */
import { formatDate } from '../expressions/dotnet-datetime';
import { parseHrRecord, resolveStage, type Flow } from '../flows';
import type { WorkerMessageSender } from '../messaging/sender';
import type { FullExtractAnswer, MissingWorker } from './answer';
import { sendSnapshots } from './enqueue';
import { GONE_PHASES, type ManagedWorkers } from './managedWorkers';
import type { ValidSnapshot } from './validate';
import { recordDigest, snapshotVersion } from './version';

export interface FullExtractInput {
  readonly flow: Flow;
  readonly presentIds: ReadonlySet<string>;
  readonly rowsWithoutId: number;
  readonly managed: ManagedWorkers;
  readonly sender: WorkerMessageSender;
  readonly now: Date;
  readonly concurrency: number;
}

/** The status value the flow maps to `terminated`, if any. */
function terminatedValue(flow: Flow): string | undefined {
  return Object.entries(flow.status.values).find(([, s]) => s.stage === 'terminated')?.[0];
}

type Built = { ok: true; snapshot: ValidSnapshot } | { ok: false; reason: string };

export function terminationSnapshot(
  flow: Flow,
  employeeId: string,
  stored: Readonly<Record<string, unknown>> | undefined,
  now: Date,
): Built {
  if (!stored) return { ok: false, reason: 'no stored HR record to build a termination snapshot from' };
  const value = terminatedValue(flow);
  if (value === undefined)
    return { ok: false, reason: `no value of ${flow.status.field} maps to terminated` };
  const raw: Record<string, unknown> = { ...stored, [flow.status.field]: value };
  if (flow.status.asOf) raw[flow.status.asOf] = formatDate(now.getTime(), "yyyy-MM-dd'T'HH:mm:ss'Z'");
  const parsed = parseHrRecord(flow, raw);
  if (!parsed.ok)
    return {
      ok: false,
      reason: `the stored record is not valid now (${parsed.errors.map((e) => e.field).join(', ')})`,
    };
  let stage: string;
  try {
    stage = resolveStage(flow, parsed.record).stage;
  } catch {
    stage = 'unmapped';
  }
  if (stage !== 'terminated')
    return { ok: false, reason: `the flow's status rules give ${stage}, not terminated` };
  const order = flow.status.asOf ? String(parsed.record[flow.status.asOf]) : now.toISOString();
  return {
    ok: true,
    snapshot: {
      ref: {},
      employeeId,
      raw,
      record: parsed.record,
      version: snapshotVersion(order, recordDigest(parsed.record)),
    },
  };
}

export async function handleFullExtract(input: FullExtractInput): Promise<FullExtractAnswer> {
  const { flow } = input;
  const policy = flow.fullExtract.missingWorkers;
  const managed = (await input.managed.list(flow.name)).filter((w) => !w.phase || !GONE_PHASES.has(w.phase));
  const absent = managed.filter((w) => !input.presentIds.has(w.employeeId));
  if (policy === 'report' || absent.length === 0)
    return {
      policy,
      managedWorkers: managed.length,
      missing: absent.map((w) => ({ employeeId: w.employeeId, outcome: 'reported' })),
    };
  if (input.rowsWithoutId > 0) {
    const reason = `${input.rowsWithoutId} row(s) have no readable employee ID, so no worker is terminated from this extract`;
    return {
      policy,
      managedWorkers: managed.length,
      missing: absent.map((w) => ({ employeeId: w.employeeId, outcome: 'notTerminated', reason })),
    };
  }
  const missing: MissingWorker[] = [];
  const toSend: { index: number; snapshot: ValidSnapshot }[] = [];
  for (const w of absent) {
    const built = terminationSnapshot(flow, w.employeeId, w.snapshot, input.now);
    if (built.ok) toSend.push({ index: missing.length, snapshot: built.snapshot });
    missing.push({
      employeeId: w.employeeId,
      outcome: 'notTerminated',
      reason: built.ok ? undefined : built.reason,
    });
  }
  const outcomes = await sendSnapshots(
    input.sender,
    flow.name,
    toSend.map((t) => t.snapshot),
    input.now.toISOString(),
    input.concurrency,
  );
  outcomes.forEach((o, i) => {
    const { index, snapshot } = toSend[i]!;
    missing[index] = o.ok
      ? { employeeId: snapshot.employeeId, outcome: 'terminated', trackingId: o.trackingId }
      : {
          employeeId: snapshot.employeeId,
          outcome: 'notTerminated',
          reason: `sending failed (${o.code}); send the extract again`,
        };
  });
  return { policy, managedWorkers: managed.length, missing };
}
