/** Runs a flow's `examples:` (what `tenure test` does): each record must produce exactly what it expects. */
import { seededRandom } from '../expressions/evaluate';
import { evaluateEntitlements } from './entitlements';
import { parseHrRecord } from './hr-record';
import { evaluateAttributes, firstUntaken, namingCandidates, takenSet } from './mapping';
import type { Flow, FlowExample, StageResolution } from './model';
import { resolveStage } from './stage';

export interface ExampleResult {
  readonly name: string;
  readonly ok: boolean;
  /** One line per mismatch: what was expected and what came out. */
  readonly failures: readonly string[];
}

/** Default frozen clock of examples that do not set `now`. */
export const DEFAULT_EXAMPLE_NOW = '2000-01-01T00:00:00Z';

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
const stageText = (s: StageResolution): string => (s.stage === 'leave' ? `leave:${s.kind}` : s.stage);
const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));

export function runExample(flow: Flow, ex: FlowExample): ExampleResult {
  const failures: string[] = [];
  const parsed = parseHrRecord(flow, ex.record);
  const expect = ex.expect;
  if (expect.invalidFields) {
    const got = parsed.ok ? [] : [...new Set(parsed.errors.map((e) => e.field))];
    if (!sameSet(got, expect.invalidFields))
      failures.push(`invalid fields: expected ${show(expect.invalidFields)}, got ${show(got)}`);
    return { name: ex.name, ok: failures.length === 0, failures };
  }
  if (!parsed.ok) {
    const list = parsed.errors.map((e) => `${e.field} (${e.reason})`).join(', ');
    return { name: ex.name, ok: false, failures: [`record is invalid: ${list}`] };
  }
  const record = parsed.record;
  const clock = { now: new Date(ex.now ?? DEFAULT_EXAMPLE_NOW), random: seededRandom(1) };
  const mapped = evaluateAttributes(flow, record, clock);
  for (const e of mapped.errors) failures.push(`${e.attribute}: ${e.code}: ${e.message}`);
  for (const [attr, want] of Object.entries(expect.attributes)) {
    if (!(attr in flow.attributes)) {
      failures.push(`${attr}: the flow does not map this attribute`);
      continue;
    }
    const got = mapped.attributes[attr];
    if (want === null) {
      if (got !== undefined) failures.push(`${attr}: expected to be skipped, got ${show(got)}`);
    } else if (JSON.stringify(got) !== JSON.stringify(want)) {
      failures.push(`${attr}: expected ${show(want)}, got ${show(got)}`);
    }
  }
  const naming = namingCandidates(flow, record, clock);
  for (const e of naming.errors) failures.push(`${e.attribute}: ${e.code}: ${e.message}`);
  const taken = takenSet(ex.taken);
  for (const key of ['userPrincipalName', 'mailNickname', 'mail'] as const) {
    const want = expect[key];
    if (want === undefined) continue;
    const got = firstUntaken(naming[key], taken);
    if (got !== want)
      failures.push(`${key}: expected ${show(want)}, got ${show(got)} (candidates ${show(naming[key])})`);
  }
  if (expect.stage) {
    try {
      const got = resolveStage(flow, record);
      if (stageText(got) !== stageText(expect.stage))
        failures.push(`stage: expected ${stageText(expect.stage)}, got ${stageText(got)}`);
    } catch (err) {
      failures.push(`stage: ${(err as Error).message}`);
    }
  }
  const ent = evaluateEntitlements(flow, record);
  if (expect.groups && !sameSet(ent.groups, expect.groups))
    failures.push(`groups: expected ${show(expect.groups)}, got ${show(ent.groups)}`);
  if (expect.licenses && !sameSet(ent.licenses, expect.licenses))
    failures.push(`licenses: expected ${show(expect.licenses)}, got ${show(ent.licenses)}`);
  return { name: ex.name, ok: failures.length === 0, failures };
}

export function runExamples(flow: Flow): ExampleResult[] {
  return flow.examples.map((ex) => runExample(flow, ex));
}
