/** Reads `examples:`, the flow's own test cases run by `tenure test`. */
import type { ExampleExpectation, FlowExample, Literal, StageResolution } from './model';
import { LEAVE_KINDS } from './model';
import {
  readMap,
  readSeq,
  readString,
  readStringList,
  required,
  toPlain,
  type Located,
  type YamlContext,
} from './yaml-reader';

function readStage(ctx: YamlContext, at: Located): StageResolution | undefined {
  const s = readString(ctx, at);
  if (s === 'active' || s === 'terminated' || s === 'retired') return { stage: s };
  const kind = s?.startsWith('leave:') ? LEAVE_KINDS.find((k) => `leave:${k}` === s) : undefined;
  if (kind) return { stage: 'leave', kind };
  if (s !== undefined) ctx.report(at, `"${s}" is not a stage (active, terminated, retired, leave:<kind>)`);
  return undefined;
}

export function readExamples(ctx: YamlContext, at: Located): FlowExample[] {
  const out: FlowExample[] = [];
  const names = new Set<string>();
  for (const ex of readSeq(ctx, at) ?? []) {
    const m = readMap(ctx, ex, ['name', 'record', 'now', 'taken', 'expect']);
    if (!m) continue;
    const nameAt = required(ctx, m, ex, 'name');
    const name = nameAt && readString(ctx, nameAt);
    if (name !== undefined && names.has(name)) ctx.report(nameAt!, `duplicate example name "${name}"`);
    if (name !== undefined) names.add(name);
    const recAt = required(ctx, m, ex, 'record');
    const recMap = recAt && readMap(ctx, recAt);
    const nowAt = m.get('now');
    const now = nowAt && readString(ctx, nowAt);
    if (nowAt && now !== undefined && Number.isNaN(Date.parse(now)))
      ctx.report(nowAt, `"${now}" is not an ISO 8601 time`);
    const takenAt = m.get('taken');
    const taken = (takenAt && readStringList(ctx, takenAt)) ?? [];
    const expAt = required(ctx, m, ex, 'expect');
    const em =
      expAt &&
      readMap(ctx, expAt, [
        'attributes',
        'userPrincipalName',
        'mailNickname',
        'mail',
        'stage',
        'groups',
        'licenses',
        'invalidFields',
      ]);
    if (!em || !recMap || name === undefined) continue;
    const expect: {
      -readonly [K in keyof ExampleExpectation]: ExampleExpectation[K];
    } = { attributes: {} };
    const attrsAt = em.get('attributes');
    if (attrsAt) {
      const am = readMap(ctx, attrsAt);
      expect.attributes = Object.fromEntries(
        [...(am ?? [])].map(([k, v]) => [k, toPlain(ctx, v) as Literal]),
      );
    }
    for (const key of ['userPrincipalName', 'mailNickname', 'mail'] as const) {
      const vAt = em.get(key);
      const v = vAt && readString(ctx, vAt);
      if (v !== undefined) expect[key] = v;
    }
    const stAt = em.get('stage');
    const stage = stAt && readStage(ctx, stAt);
    if (stage) expect.stage = stage;
    for (const key of ['groups', 'licenses', 'invalidFields'] as const) {
      const vAt = em.get(key);
      const v = vAt && readStringList(ctx, vAt);
      if (v) expect[key] = v;
    }
    const record = toPlain(ctx, recAt!) as Record<string, unknown>;
    out.push({ name, record, taken, expect, ...(now ? { now } : {}) });
  }
  return out;
}
