// Binds a CmdletInput's Parameters the way PowerShell would for the REST endpoint: names are case-insensitive,
// unknown names fail binding, booleans accept JSON booleans and "True"/"$true", enums match case-insensitively,
// multi-valued parameters accept arrays, and hashtables carry "@odata.type":"#Exchange.GenericHashTable".
import { parameterBinding } from './errors';

export type ParameterValue = unknown;

/** A multi-valued parameter given as a replacement list or as an Add/Remove hashtable. */
export type MultiValueUpdate = { replace: string[] } | { add: string[]; remove: string[] };

export class CmdletParameters {
  readonly #values = new Map<string, { name: string; value: ParameterValue }>();

  constructor(raw: unknown, allowed: readonly string[]) {
    if (raw === undefined || raw === null) return;
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw parameterBinding('CmdletInput.Parameters must be an object of parameter names and values.');
    const known = new Map(allowed.map((a) => [a.toLowerCase(), a]));
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      const canonical = known.get(name.toLowerCase());
      if (!canonical)
        throw parameterBinding(`A parameter cannot be found that matches parameter name '${name}'.`);
      this.#values.set(canonical.toLowerCase(), { name: canonical, value });
    }
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  names(): string[] {
    return [...this.#values.values()].map((v) => v.name);
  }

  raw(name: string): ParameterValue {
    return this.#values.get(name.toLowerCase())?.value;
  }

  string(name: string): string | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (v === null) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw parameterBinding(
      `Cannot bind parameter '${name}'. Cannot convert the value of type "${jsonType(v)}" to type "System.String".`,
    );
  }

  requiredString(name: string, cmdlet: string): string {
    const v = this.string(name);
    if (v === undefined || v.trim() === '')
      throw parameterBinding(
        `Cannot process command because of one or more missing mandatory parameters: ${name}. (${cmdlet})`,
      );
    return v.trim();
  }

  boolean(name: string): boolean | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      const s = v.trim().toLowerCase().replace(/^\$/, '');
      if (s === 'true' || s === '1') return true;
      if (s === 'false' || s === '0') return false;
    }
    if (typeof v === 'number') return v !== 0;
    throw parameterBinding(
      `Cannot process argument transformation on parameter '${name}'. Cannot convert value "${String(v)}" to type "System.Boolean". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`,
    );
  }

  enumValue<T extends string>(name: string, typeName: string, values: readonly T[]): T | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const match = values.find((x) => x.toLowerCase() === v.trim().toLowerCase());
    if (!match)
      throw parameterBinding(
        `Cannot process argument transformation on parameter '${name}'. Cannot convert value "${v}" to type "${typeName}". Error: "Unable to match the identifier name ${v} to a valid enumerator name. Specify one of the following enumerator names and try again: ${values.join(', ')}"`,
      );
    return match;
  }

  /** A multi-valued parameter: an array or comma-separated string (replace), or a GenericHashTable (add/remove). */
  multiValue(name: string): MultiValueUpdate | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (v === null) return { replace: [] };
    if (Array.isArray(v)) return { replace: v.map((x) => stringItem(name, x)) };
    if (typeof v === 'string')
      return {
        replace: v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      };
    if (typeof v === 'object') {
      const table = v as Record<string, unknown>;
      const keys = Object.keys(table).filter((k) => k !== '@odata.type');
      const unknown = keys.filter((k) => !['add', 'remove'].includes(k.toLowerCase()));
      if (unknown.length > 0)
        throw parameterBinding(
          `Cannot bind parameter '${name}'. The hashtable key '${unknown[0]}' is not valid: use Add or Remove.`,
        );
      const list = (key: string): string[] => {
        const k = keys.find((x) => x.toLowerCase() === key);
        const item = k === undefined ? undefined : table[k];
        if (item === undefined || item === null) return [];
        return (Array.isArray(item) ? item : [item]).map((x) => stringItem(name, x));
      };
      return { add: list('add'), remove: list('remove') };
    }
    throw parameterBinding(`Cannot bind parameter '${name}' to a value of type "${jsonType(v)}".`);
  }

  date(name: string): Date | undefined {
    const v = this.string(name);
    if (v === undefined || v === '') return undefined;
    const ms = Date.parse(v);
    if (!Number.isFinite(ms))
      throw parameterBinding(
        `Cannot process argument transformation on parameter '${name}'. Cannot convert value "${v}" to type "System.DateTime". Error: "String '${v}' was not recognized as a valid DateTime."`,
      );
    return new Date(ms);
  }

  /** -ResultSize: a positive number or "Unlimited"; undefined when absent. */
  resultSize(name = 'ResultSize'): number | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (typeof v === 'string' && v.trim().toLowerCase() === 'unlimited') return Number.POSITIVE_INFINITY;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n <= 0)
      throw parameterBinding(
        `Cannot bind parameter '${name}'. Cannot convert value "${String(v)}" to type "Microsoft.Exchange.Data.Unlimited\`1[System.UInt32]".`,
      );
    return n;
  }
}

function stringItem(name: string, x: unknown): string {
  if (typeof x === 'string') return x.trim();
  if (typeof x === 'number') return String(x);
  throw parameterBinding(`Cannot bind parameter '${name}': every item must be a string.`);
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'System.Object[]';
  if (typeof v === 'object') return 'System.Collections.Hashtable';
  return typeof v;
}
