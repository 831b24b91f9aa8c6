/**
 * The infra tests' view of a set of Bicep files: each file's declarations by symbol, module links between files,
 * and a partial evaluator that turns literal expressions (vars, object and array literals, loops over literal
 * arrays, string interpolation of known parts) into values. Anything it cannot know stays Unknown.
 */
import * as path from 'node:path';
import { BicepSyntaxError, parseBicep, type BicepFile, type Expr, type Statement } from './bicep-syntax';

export class Unknown {
  constructor(readonly text: string) {}
}

export type Value = string | number | boolean | null | Unknown | Value[] | { [key: string]: Value };

export type ParamDecl = Extract<Statement, { kind: 'param' }>;
export type VarDecl = Extract<Statement, { kind: 'var' }>;
export type ResourceDecl = Extract<Statement, { kind: 'resource' }>;
export type ModuleDecl = Extract<Statement, { kind: 'module' }>;
export type OutputDecl = Extract<Statement, { kind: 'output' }>;

export interface BicepModule {
  /** Repository-relative path, e.g. infra/app/api.bicep. */
  readonly file: string;
  readonly ast: BicepFile;
  readonly params: Map<string, ParamDecl>;
  readonly vars: Map<string, VarDecl>;
  readonly resources: Map<string, ResourceDecl>;
  readonly modules: Map<string, ModuleDecl>;
  readonly outputs: Map<string, OutputDecl>;
  readonly duplicates: string[];
}

export interface ParseFailure {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface Project {
  readonly files: ReadonlyMap<string, string>;
  readonly modules: Map<string, BicepModule>;
  readonly failures: ParseFailure[];
  /** Files main.bicep deploys, directly or through modules; true when only under a condition. */
  readonly deployed: Map<string, boolean>;
}

export const MAIN_FILE = 'infra/main.bicep';

export function loadProject(files: ReadonlyMap<string, string>): Project {
  const modules = new Map<string, BicepModule>();
  const failures: ParseFailure[] = [];
  for (const [file, text] of files) {
    if (!file.endsWith('.bicep')) continue;
    try {
      modules.set(file, indexModule(file, parseBicep(text)));
    } catch (err) {
      if (err instanceof BicepSyntaxError) failures.push({ file, line: err.line, message: err.message });
      else throw err;
    }
  }
  const deployed = new Map<string, boolean>();
  const visit = (file: string, conditional: boolean) => {
    const known = deployed.get(file);
    if (known !== undefined && (known === false || conditional)) return;
    deployed.set(file, conditional);
    const m = modules.get(file);
    for (const mod of m?.modules.values() ?? []) {
      const target = moduleTarget(file, mod);
      if (target) visit(target, conditional || declBody(mod.body).condition !== undefined);
    }
  };
  if (modules.has(MAIN_FILE)) visit(MAIN_FILE, false);
  return { files, modules, failures, deployed };
}

function indexModule(file: string, ast: BicepFile): BicepModule {
  const m: BicepModule = {
    file,
    ast,
    params: new Map(),
    vars: new Map(),
    resources: new Map(),
    modules: new Map(),
    outputs: new Map(),
    duplicates: [],
  };
  const symbols = new Set<string>();
  for (const s of ast.statements) {
    if (s.kind === 'targetScope' || s.kind === 'other') continue;
    // Outputs live in their own namespace; every other symbol must be unique.
    if (s.kind !== 'output') {
      if (symbols.has(s.name)) m.duplicates.push(s.name);
      symbols.add(s.name);
    }
    if (s.kind === 'param') m.params.set(s.name, s);
    if (s.kind === 'var') m.vars.set(s.name, s);
    if (s.kind === 'resource') m.resources.set(s.name, s);
    if (s.kind === 'module') m.modules.set(s.name, s);
    if (s.kind === 'output') m.outputs.set(s.name, s);
  }
  return m;
}

/** The resource type without its API version: 'Microsoft.Storage/storageAccounts'. */
export function resourceType(r: ResourceDecl): string {
  return r.type.split('@')[0];
}

/** The repository-relative file a local module path points to, or undefined for a registry module. */
export function moduleTarget(from: string, mod: ModuleDecl): string | undefined {
  if (/^(br|ts)[:/]/.test(mod.path)) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), mod.path));
}

/** The object body of a resource or module, with its condition and loop if any. */
export interface DeclBody {
  readonly object?: Extract<Expr, { kind: 'object' }>;
  readonly condition?: Expr;
  readonly loop?: Extract<Expr, { kind: 'for' }>;
}

export function declBody(body: Expr): DeclBody {
  if (body.kind === 'object') return { object: body };
  if (body.kind === 'if' && body.body.kind === 'object')
    return { object: body.body, condition: body.condition };
  if (body.kind === 'for') {
    const inner = body.body.kind === 'object' ? body.body : undefined;
    return { object: inner, condition: body.condition, loop: body };
  }
  return {};
}

/** A property of an object literal; ARM property names are case-insensitive. */
export function prop(obj: Expr | undefined, key: string): Expr | undefined {
  if (obj?.kind !== 'object') return undefined;
  const lower = key.toLowerCase();
  for (let i = obj.props.length - 1; i >= 0; i--)
    if (obj.props[i].key.toLowerCase() === lower) return obj.props[i].value;
  return undefined;
}

export function propPath(obj: Expr | undefined, keys: string[]): Expr | undefined {
  let cur = obj;
  for (const k of keys) cur = prop(cur, k);
  return cur;
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

export class Evaluator {
  private readonly varValues = new Map<string, Value>();
  private readonly evaluating = new Set<string>();

  constructor(
    private readonly project: Project,
    readonly module: BicepModule,
  ) {}

  /** Evaluates with extra bindings (loop variables). */
  eval(e: Expr, locals: ReadonlyMap<string, Value> = new Map()): Value {
    switch (e.kind) {
      case 'string': {
        let out = '';
        for (const p of e.parts) {
          if (typeof p === 'string') out += p;
          else {
            const v = this.eval(p, locals);
            if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out += String(v);
            else return new Unknown(e.text);
          }
        }
        return out;
      }
      case 'number':
      case 'bool':
        return e.value;
      case 'null':
        return null;
      case 'ident':
        if (locals.has(e.name)) return locals.get(e.name) as Value;
        return this.varValue(e.name) ?? new Unknown(e.text);
      case 'object': {
        const out: { [key: string]: Value } = {};
        for (const p of e.props) out[p.key] = this.eval(p.value, locals);
        return out;
      }
      case 'array':
        return e.items.map((i) => this.eval(i, locals));
      case 'member': {
        const obj = this.eval(e.object, locals);
        if (isRecord(obj)) {
          const key = Object.keys(obj).find((k) => k.toLowerCase() === e.name.toLowerCase());
          return key === undefined ? new Unknown(e.text) : obj[key];
        }
        return new Unknown(e.text);
      }
      case 'index': {
        const obj = this.eval(e.object, locals);
        const idx = this.eval(e.index, locals);
        if (Array.isArray(obj) && typeof idx === 'number' && idx < obj.length) return obj[idx];
        if (isRecord(obj) && typeof idx === 'string' && idx in obj) return obj[idx];
        return new Unknown(e.text);
      }
      case 'unary': {
        const v = this.eval(e.operand, locals);
        if (e.op === '!' && typeof v === 'boolean') return !v;
        if (e.op === '-' && typeof v === 'number') return -v;
        return new Unknown(e.text);
      }
      case 'ternary': {
        const c = this.eval(e.condition, locals);
        if (typeof c === 'boolean') return this.eval(c ? e.whenTrue : e.whenFalse, locals);
        return new Unknown(e.text);
      }
      case 'binary': {
        const l = this.eval(e.left, locals);
        const r = this.eval(e.right, locals);
        if (l instanceof Unknown || r instanceof Unknown) return new Unknown(e.text);
        if (e.op === '==') return JSON.stringify(l) === JSON.stringify(r);
        if (e.op === '!=') return JSON.stringify(l) !== JSON.stringify(r);
        if (e.op === '&&' && typeof l === 'boolean' && typeof r === 'boolean') return l && r;
        if (e.op === '||' && typeof l === 'boolean' && typeof r === 'boolean') return l || r;
        if (e.op === '??') return l ?? r;
        return new Unknown(e.text);
      }
      case 'call':
        return this.call(e, locals);
      default:
        return new Unknown(e.text);
    }
  }

  private call(e: Extract<Expr, { kind: 'call' }>, locals: ReadonlyMap<string, Value>): Value {
    const name = e.callee.kind === 'ident' ? e.callee.name : undefined;
    const args = () => e.args.map((a) => this.eval(a, locals));
    if (name === 'union') {
      const vs = args();
      if (vs.every(isRecord)) return Object.assign({}, ...vs) as Value;
    }
    if (name === 'toLower' || name === 'toUpper') {
      const [v] = args();
      if (typeof v === 'string') return name === 'toLower' ? v.toLowerCase() : v.toUpperCase();
    }
    if (name === 'loadJsonContent' && e.args[0]?.kind === 'string') {
      const target = path.posix.join(path.posix.dirname(this.module.file), String(this.eval(e.args[0])));
      const text = this.project.files.get(target);
      if (text !== undefined) {
        try {
          return JSON.parse(text) as Value;
        } catch {
          return new Unknown(e.text);
        }
      }
    }
    return new Unknown(e.text);
  }

  private varValue(name: string): Value | undefined {
    if (this.varValues.has(name)) return this.varValues.get(name);
    const decl = this.module.vars.get(name);
    if (!decl || this.evaluating.has(name)) return undefined;
    this.evaluating.add(name);
    const v = this.eval(decl.value);
    this.evaluating.delete(name);
    this.varValues.set(name, v);
    return v;
  }
}

export function isRecord(v: Value | undefined): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

/** Every expression node under `e`, depth first (including interpolation parts). */
export function* walk(e: Expr): Generator<Expr> {
  yield e;
  switch (e.kind) {
    case 'string':
      for (const p of e.parts) if (typeof p !== 'string') yield* walk(p);
      break;
    case 'object':
      for (const p of e.props) yield* walk(p.value);
      break;
    case 'array':
      for (const i of e.items) yield* walk(i);
      break;
    case 'for':
      yield* walk(e.iterable);
      if (e.condition) yield* walk(e.condition);
      yield* walk(e.body);
      break;
    case 'if':
      yield* walk(e.condition);
      yield* walk(e.body);
      break;
    case 'call':
      yield* walk(e.callee);
      for (const a of e.args) yield* walk(a);
      break;
    case 'member':
      yield* walk(e.object);
      break;
    case 'index':
      yield* walk(e.object);
      yield* walk(e.index);
      break;
    case 'unary':
    case 'nonNull':
      yield* walk(e.operand);
      break;
    case 'binary':
      yield* walk(e.left);
      yield* walk(e.right);
      break;
    case 'ternary':
      yield* walk(e.condition);
      yield* walk(e.whenTrue);
      yield* walk(e.whenFalse);
      break;
    case 'lambda':
      yield* walk(e.body);
      break;
    default:
      break;
  }
}

/** Every expression of a statement: decorators, defaults, values and bodies. */
export function statementExprs(s: Statement): Expr[] {
  const out: Expr[] = [];
  for (const d of s.decorators) out.push(...d.args);
  switch (s.kind) {
    case 'targetScope':
    case 'var':
    case 'output':
      out.push(s.value);
      break;
    case 'param':
      if (s.defaultValue) out.push(s.defaultValue);
      break;
    case 'resource':
    case 'module':
      out.push(s.body);
      break;
    default:
      break;
  }
  return out;
}
