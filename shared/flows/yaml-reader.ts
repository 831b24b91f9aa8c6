/**
 * Typed reading of a YAML document that remembers where every value came from, so each problem is reported
 * with file:line:col. Readers never throw: they record an issue and return undefined, letting the loader
 * report all problems of a file at once.
 */
import { type Document, isAlias, isMap, isNode, isScalar, isSeq, LineCounter, type Node, Scalar } from 'yaml';
import type { FlowIssue } from './errors';

export class YamlContext {
  readonly issues: FlowIssue[] = [];
  constructor(
    readonly file: string,
    readonly text: string,
    readonly lineCounter: LineCounter,
    private readonly doc?: Document,
  ) {}

  /** Plain data of a node, aliases resolved. */
  toJs(node: unknown): unknown {
    if (!isNode(node)) return null;
    return this.doc ? node.toJS(this.doc) : node.toJSON();
  }

  /** Follows a YAML alias (`*name`) to its anchored node, so flows can reuse conditions and lists. */
  deref(node: unknown): unknown {
    return isAlias(node) && this.doc ? (node.resolve(this.doc) ?? node) : node;
  }

  position(offset: number): { line: number; column: number } {
    const p = this.lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  }

  reportAt(offset: number, path: string, message: string): void {
    const { line, column } = this.position(offset);
    this.issues.push({ file: this.file, line, column, path, message });
  }

  report(at: Located, message: string): void {
    this.reportAt(at.offset, at.path, message);
  }
}

/** A YAML value with its dotted path and the offset where it starts (or where it should have been). */
export interface Located {
  readonly node: unknown;
  readonly path: string;
  readonly offset: number;
}

export function startOf(node: unknown, fallback: number): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : fallback;
}

function describe(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    return v === null ? 'null' : typeof v === 'string' ? 'a string' : `a ${typeof v}`;
  }
  return 'an unsupported value';
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const safe = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${safe}` : safe;
}

/** Reads a mapping; reports unknown keys when `allowed` is given. Returns key → located child. */
export function readMap(
  ctx: YamlContext,
  at: Located,
  allowed?: readonly string[],
): Map<string, Located> | undefined {
  if (!isMap(at.node)) {
    ctx.report(at, `expected a mapping, found ${describe(at.node)}`);
    return undefined;
  }
  const out = new Map<string, Located>();
  for (const pair of at.node.items) {
    const keyNode = pair.key as Node | null;
    const keyOffset = startOf(keyNode, at.offset);
    if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
      ctx.reportAt(keyOffset, at.path, 'keys must be plain strings');
      continue;
    }
    // Keys are text as written (`True: active` maps the HR value "True", not a boolean).
    const key =
      keyNode.type === Scalar.PLAIN && typeof keyNode.source === 'string'
        ? keyNode.source
        : String(keyNode.value);
    const path = childPath(at.path, key);
    if (allowed && !allowed.includes(key)) {
      ctx.reportAt(keyOffset, path, `unknown key "${key}" (allowed: ${allowed.join(', ')})`);
      continue;
    }
    if (out.has(key)) {
      ctx.reportAt(keyOffset, path, `duplicate key "${key}"`);
      continue;
    }
    const valueNode = pair.value as Node | null;
    out.set(key, { node: ctx.deref(valueNode), path, offset: startOf(valueNode, keyOffset) });
  }
  return out;
}

export function readSeq(ctx: YamlContext, at: Located): Located[] | undefined {
  if (!isSeq(at.node)) {
    ctx.report(at, `expected a list, found ${describe(at.node)}`);
    return undefined;
  }
  return at.node.items.map((item, i) => ({
    node: ctx.deref(item),
    path: childPath(at.path, i),
    offset: startOf(item, at.offset),
  }));
}

/** The child at `key`, or a report of its absence positioned at the parent mapping. */
export function required(
  ctx: YamlContext,
  map: Map<string, Located>,
  parent: Located,
  key: string,
): Located | undefined {
  const child = map.get(key);
  if (!child) ctx.report(parent, `missing required key "${key}"`);
  return child;
}

export function readString(
  ctx: YamlContext,
  at: Located,
  opts: { nonEmpty?: boolean } = {},
): string | undefined {
  if (!isScalar(at.node) || typeof at.node.value !== 'string') {
    ctx.report(at, `expected a string, found ${describe(at.node)}`);
    return undefined;
  }
  if (opts.nonEmpty !== false && at.node.value.trim() === '') {
    ctx.report(at, 'must not be empty');
    return undefined;
  }
  return at.node.value;
}

/** Reads a scalar as text whatever its YAML type (so `Active: 1` or `true` as a status value works). */
export function readScalarText(ctx: YamlContext, at: Located): string | undefined {
  if (!isScalar(at.node) || at.node.value === null || typeof at.node.value === 'object') {
    ctx.report(at, `expected a scalar, found ${describe(at.node)}`);
    return undefined;
  }
  const src = at.node.source;
  return typeof src === 'string' && at.node.type === Scalar.PLAIN ? src : String(at.node.value);
}

export function readNumber(
  ctx: YamlContext,
  at: Located,
  opts: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (!isScalar(at.node) || typeof at.node.value !== 'number' || !Number.isFinite(at.node.value)) {
    ctx.report(at, `expected a number, found ${describe(at.node)}`);
    return undefined;
  }
  const v = at.node.value;
  if (opts.integer && !Number.isInteger(v)) return void ctx.report(at, 'must be a whole number');
  if (opts.min !== undefined && v < opts.min) return void ctx.report(at, `must be at least ${opts.min}`);
  if (opts.max !== undefined && v > opts.max) return void ctx.report(at, `must be at most ${opts.max}`);
  return v;
}

export function readBoolean(ctx: YamlContext, at: Located): boolean | undefined {
  if (!isScalar(at.node) || typeof at.node.value !== 'boolean') {
    ctx.report(at, `expected true or false, found ${describe(at.node)}`);
    return undefined;
  }
  return at.node.value;
}

export function readEnum<T extends string>(
  ctx: YamlContext,
  at: Located,
  values: readonly T[],
): T | undefined {
  const s = readString(ctx, at);
  if (s === undefined) return undefined;
  if (!(values as readonly string[]).includes(s)) {
    ctx.report(at, `"${s}" is not one of: ${values.join(', ')}`);
    return undefined;
  }
  return s as T;
}

export function readStringList(ctx: YamlContext, at: Located): string[] | undefined {
  const items = readSeq(ctx, at);
  if (!items) return undefined;
  const out: string[] = [];
  for (const item of items) {
    const s = readString(ctx, item);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** Converts a YAML node to plain JSON-like data (for example records and literal step options). */
export function toPlain(ctx: YamlContext, at: Located): unknown {
  return ctx.toJs(at.node);
}

/**
 * Maps a character index inside a scalar's value to an offset in the file, so expression errors point at
 * the exact character. Exact for plain, single- and double-quoted one-line scalars and literal blocks (`|`);
 * other styles fall back to the scalar's first character.
 */
export function valueIndexToOffset(ctx: YamlContext, at: Located, index: number): number {
  const node = at.node;
  if (!isScalar(node) || !node.range) return at.offset;
  const start = node.range[0];
  const raw = ctx.text.slice(start, node.range[1]);
  const value = String(node.value);
  if (node.type === Scalar.PLAIN && !value.includes('\n')) return start + Math.min(index, value.length);
  if (node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE) {
    if (raw.includes('\n')) return start;
    let src = 1;
    for (let i = 0; i < index && src < raw.length; i++) {
      if (node.type === Scalar.QUOTE_SINGLE && raw[src] === "'" && raw[src + 1] === "'") src += 2;
      else if (node.type === Scalar.QUOTE_DOUBLE && raw[src] === '\\') src += raw[src + 1] === 'u' ? 6 : 2;
      else src += 1;
    }
    return start + src;
  }
  if (node.type === Scalar.BLOCK_LITERAL) {
    const headerEnd = raw.indexOf('\n');
    if (headerEnd < 0) return start;
    const lines = raw.slice(headerEnd + 1).split('\n');
    const indent = Math.min(
      ...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length),
    );
    const before = value.slice(0, index).split('\n');
    const lineNo = before.length - 1;
    let offset = start + headerEnd + 1;
    for (let i = 0; i < lineNo && i < lines.length; i++) offset += lines[i].length + 1;
    return offset + (Number.isFinite(indent) ? indent : 0) + before[lineNo].length;
  }
  return start;
}
