/** Loading of `naming:` candidates and the mass-change `guard:`. */
import type { CompiledExpression } from '../expressions/compiler';
import { parseIsoDuration } from './duration';
import { readExpression } from './load-expression';
import type { MassChangeGuard, Naming } from './model';
import {
  readBoolean,
  readMap,
  readNumber,
  readSeq,
  readString,
  required,
  type Located,
  type YamlContext,
} from './yaml-reader';

export function readNaming(
  ctx: YamlContext,
  at: Located | undefined,
  known: ReadonlySet<string>,
): Naming | undefined {
  if (!at) {
    ctx.reportAt(0, 'naming', 'missing required key "naming" (at least one userPrincipalName candidate)');
    return undefined;
  }
  const m = readMap(ctx, at, ['userPrincipalName', 'mailNickname', 'mail', 'keepOldAddressAsAlias']);
  if (!m) return undefined;
  const list = (key: string, need: boolean): CompiledExpression[] => {
    const lAt = need ? required(ctx, m, at, key) : m.get(key);
    if (!lAt) return [];
    const items = readSeq(ctx, lAt);
    if (items && items.length === 0 && need) ctx.report(lAt, 'give at least one candidate');
    return (items ?? [])
      .map((i) => readExpression(ctx, i, known))
      .filter((e): e is CompiledExpression => !!e);
  };
  const kAt = m.get('keepOldAddressAsAlias');
  return {
    userPrincipalName: list('userPrincipalName', true),
    mailNickname: list('mailNickname', true),
    mail: list('mail', false),
    keepOldAddressAsAlias: (kAt && readBoolean(ctx, kAt)) ?? true,
  };
}

const DEFAULT_GUARD: MassChangeGuard = {
  window: 'PT1H',
  windowMs: 3_600_000,
  maxDisables: 25,
  maxDeletes: 10,
  maxGroupRemovals: 200,
};

export function readGuard(ctx: YamlContext, at: Located | undefined): MassChangeGuard {
  if (!at) return DEFAULT_GUARD;
  const m = readMap(ctx, at, ['window', 'maxDisables', 'maxDeletes', 'maxGroupRemovals']);
  if (!m) return DEFAULT_GUARD;
  const wAt = m.get('window');
  let window = DEFAULT_GUARD.window;
  let windowMs = DEFAULT_GUARD.windowMs;
  if (wAt) {
    const w = readString(ctx, wAt);
    const ms = w === undefined ? undefined : parseIsoDuration(w);
    if (w !== undefined && ms === undefined)
      ctx.report(wAt, `"${w}" is not an ISO 8601 duration such as PT1H or P1D`);
    if (w !== undefined && ms !== undefined) [window, windowMs] = [w, ms];
  }
  const n = (k: 'maxDisables' | 'maxDeletes' | 'maxGroupRemovals'): number => {
    const c = m.get(k);
    return (c && readNumber(ctx, c, { integer: true, min: 0 })) ?? DEFAULT_GUARD[k];
  };
  return {
    window,
    windowMs,
    maxDisables: n('maxDisables'),
    maxDeletes: n('maxDeletes'),
    maxGroupRemovals: n('maxGroupRemovals'),
  };
}
