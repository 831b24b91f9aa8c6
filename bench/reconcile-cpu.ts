// Benchmark: the CPU cost of deciding, without any I/O — desiredFromFlow (flow expressions, rules, stage) and the
// pure planner plan(desired, observed, policy, now) over synthetic workers in three shapes: joiner (no account),
// mover (department, title and groups changed) and no-op (directory already matches). Prints ops/s and µs each.
//   node dist/bench/reconcile-cpu.js [--workers 2000] [--rounds 5]
import { join } from 'node:path';
import { desiredFromFlow } from '../shared/engine/desired/fromFlow';
import type { DesiredState } from '../shared/engine/desired/model';
import type { ObservedState } from '../shared/engine/observe/model';
import { plan } from '../shared/engine/planner/plan';
import type { PlanPolicy } from '../shared/engine/planner/policy';
import { loadFlow } from '../shared/flows';
import { APP_ROOT } from '../devhost/loadApp';
import { bulkJoinerCsv, JOINER_HEADER } from './joinerExtract';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const out = (line = ''): void => void process.stdout.write(line + '\n');
const NOW = new Date('2026-03-10T12:00:00Z');

/** Group and SKU references resolved to stable fake ids, as the observe step would. */
function resolved(desired: DesiredState): ObservedState['resolved'] {
  const id = (prefix: string, name: string) => `${prefix}-${name.toLowerCase().replace(/\W/g, '')}`;
  return {
    groups: Object.fromEntries(desired.groups.managed.map((g) => [g, id('g', g)])),
    skus: Object.fromEntries(desired.licenses.managed.map((s) => [s, id('sku', s)])),
    manager: null,
  };
}

function joiner(desired: DesiredState): ObservedState {
  return {
    takenAt: NOW.toISOString(),
    user: null,
    groups: [],
    licenses: [],
    managerObjectId: null,
    resolved: resolved(desired),
    freeNames: {
      userPrincipalName: desired.naming.userPrincipalName[0],
      mailNickname: desired.naming.mailNickname[0],
    },
    bookkeeping: { waitingReports: 0 },
  };
}

/** The directory exactly as the flow wants it. */
function noop(desired: DesiredState, index: number): ObservedState {
  const refs = resolved(desired);
  return {
    takenAt: NOW.toISOString(),
    user: {
      id: `u-${index}`,
      deleted: false,
      accountEnabled: true,
      attributes: {
        ...desired.attributes,
        userPrincipalName: desired.naming.userPrincipalName[0]!,
        mailNickname: desired.naming.mailNickname[0]!,
      },
    },
    groups: desired.groups.granted.map((g) => refs.groups[g]!),
    licenses: desired.licenses.granted.map((s) => refs.skus[s]!),
    managerObjectId: null,
    resolved: refs,
    freeNames: {},
    bookkeeping: { waitingReports: 0 },
  };
}

/** The worker as they were before a move: another department and title, that department's group. */
function mover(desired: DesiredState, index: number): ObservedState {
  const base = noop(desired, index);
  const refs = base.resolved;
  const wasSales = desired.attributes.department !== 'Sales';
  return {
    ...base,
    user: {
      ...base.user!,
      attributes: {
        ...base.user!.attributes,
        department: wasSales ? 'Sales' : 'Engineering',
        jobTitle: 'Previous Title',
      },
    },
    groups: [refs.groups['All Employees']!, refs.groups[wasSales ? 'Sales' : 'Engineering']!],
  };
}

function time(
  label: string,
  count: number,
  run: () => number,
): { label: string; ops: number; us: number; n: number } {
  const started = process.hrtime.bigint();
  const n = run();
  const ns = Number(process.hrtime.bigint() - started);
  return { label, ops: (count / ns) * 1e9, us: ns / 1000 / count, n };
}

function main(): void {
  const workers = arg('workers', 2000);
  const rounds = arg('rounds', 5);
  if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers must be a positive integer');
  const flow = loadFlow(join(APP_ROOT, 'bench', 'flows', 'bench-joiners.yaml'));
  const header = JOINER_HEADER.split(',');
  const rows = bulkJoinerCsv(workers, NOW)
    .text.trim()
    .split('\n')
    .slice(1)
    .map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i]!, v])));

  let desired: DesiredState[] = [];
  let policy: PlanPolicy | undefined;
  const derive = () => {
    desired = rows.map((raw) => {
      const r = desiredFromFlow({ flow, raw, version: '1', now: NOW });
      policy = r.policy;
      return r.desired;
    });
    return desired.length;
  };
  derive(); // warm-up (JIT), and the inputs for the planner runs
  const shapes = {
    joiner: desired.map((d) => joiner(d)),
    mover: desired.map((d, i) => mover(d, i)),
    'no-op': desired.map((d, i) => noop(d, i)),
  };
  const planAll = (observed: ObservedState[]) => () => {
    let operations = 0;
    for (let i = 0; i < desired.length; i++)
      operations += plan(desired[i]!, observed[i]!, policy!, NOW).operations.length;
    return operations;
  };
  for (const o of Object.values(shapes)) planAll(o)(); // warm-up

  const results: ReturnType<typeof time>[] = [];
  const best = (label: string, run: () => number) => {
    const runs = Array.from({ length: rounds }, () => time(label, workers, run));
    results.push(runs.reduce((a, b) => (b.us < a.us ? b : a)));
  };
  best('desiredFromFlow (record → desired)', derive);
  for (const [name, observed] of Object.entries(shapes)) best(`plan(): ${name}`, planAll(observed));
  best('desired + plan: joiner', () => {
    derive();
    return planAll(shapes.joiner)();
  });

  out(
    `Pure decision cost, ${workers} synthetic workers of bench/flows/bench-joiners.yaml, best of ${rounds} rounds, Node ${process.version}`,
  );
  const w = Math.max(...results.map((r) => r.label.length));
  out(`  ${'step'.padEnd(w)}  ${'per second'.padStart(10)}  ${'µs each'.padStart(8)}  operations planned`);
  for (const r of results)
    out(
      `  ${r.label.padEnd(w)}  ${r.ops.toFixed(0).padStart(10)}  ${r.us.toFixed(1).padStart(8)}  ${r.label.startsWith('plan') || r.label.startsWith('desired +') ? `${r.n} (${(r.n / workers).toFixed(1)} per worker)` : '-'}`,
    );
  out(
    `  A full extract of ${workers} unchanged workers is decided in ${((results.find((r) => r.label === 'plan(): no-op')!.us * workers) / 1000).toFixed(1)} ms of planner CPU; the rest of a run is I/O.`,
  );
}

main();
