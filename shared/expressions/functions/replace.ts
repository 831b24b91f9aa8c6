/**
 * Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template),
 * with the five documented behaviours chosen by which arguments are provided. Regular expressions use .NET
 * syntax as far as JavaScript shares it (named groups `(?<name>…)`, classes, quantifiers); replacement
 * values use .NET substitutions (`$1`, `${name}`, `$$`, `$&`).
 */
import { EvaluationFault } from '../errors';
import type { Args, FunctionImpl } from '../runtime';
import { toText } from '../values';

function regex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'gd');
  } catch {
    throw new EvaluationFault('Replace regexPattern is not a valid regular expression');
  }
}

/** Expands .NET substitution syntax for one match. */
function substitute(template: string, m: RegExpMatchArray & { index: number }, input: string): string {
  return template.replace(
    /\$(\$|&|`|'|\+|_|\{([^}]+)\}|(\d+))/g,
    (whole, tok: string, braced?: string, num?: string) => {
      if (tok === '$') return '$';
      if (tok === '&') return m[0];
      if (tok === '`') return input.slice(0, m.index);
      if (tok === "'") return input.slice(m.index + m[0].length);
      if (tok === '_') return input;
      if (tok === '+') return m[m.length - 1] ?? '';
      const key = braced ?? num!;
      if (/^\d+$/.test(key)) return Number(key) < m.length ? (m[Number(key)] ?? '') : whole;
      return m.groups && key in m.groups ? (m.groups[key] ?? '') : whole;
    },
  );
}

function text(a: Args, i: number, what: string): string | null {
  return a.provided(i) ? toText(a.value(i), `Replace ${what}`) : null;
}

export const REPLACE_FUNCTIONS: Record<string, FunctionImpl> = {
  Replace: (a) => {
    const source = toText(a.value(0), 'Replace source');
    const oldValue = text(a, 1, 'oldValue');
    const pattern = text(a, 2, 'regexPattern');
    const group = text(a, 3, 'regexGroupName');
    const hasReplacement = a.provided(4);
    const replacement = text(a, 4, 'replacementValue') ?? '';
    const hasAttr = a.provided(5);
    const template = text(a, 6, 'template');

    if (pattern !== null && pattern !== '') {
      const re = regex(pattern);
      if (group && hasAttr) {
        if (source !== null && source !== '') return source;
        const other = toText(a.value(5), 'Replace replacementAttributeName');
        if (other === null) return null;
        re.lastIndex = 0;
        const m = re.exec(other);
        return m?.groups?.[group] ?? null;
      }
      if (source === null) return null;
      if (!hasReplacement)
        throw new EvaluationFault(
          'Replace with regexPattern needs replacementValue or replacementAttributeName',
        );
      if (group) {
        let out = '';
        let last = 0;
        for (const m of source.matchAll(re)) {
          const span = m.indices?.groups?.[group];
          if (!span) continue;
          out += source.slice(last, span[0]) + replacement;
          last = span[1];
        }
        return out + source.slice(last);
      }
      let out = '';
      let last = 0;
      for (const m of source.matchAll(re)) {
        out += source.slice(last, m.index) + substitute(replacement, m, source);
        last = m.index + m[0].length;
      }
      return out + source.slice(last);
    }
    if (oldValue !== null && oldValue !== '') {
      if (template !== null) return source === null ? null : template.split(oldValue).join(source);
      if (source === null) return null;
      if (!hasReplacement)
        throw new EvaluationFault('Replace with oldValue needs replacementValue or template');
      return source.split(oldValue).join(replacement);
    }
    throw new EvaluationFault('Replace needs oldValue or regexPattern');
  },
};
