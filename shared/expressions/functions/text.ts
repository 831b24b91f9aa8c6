/** String functions: Append, ConvertToBase64, ConvertToUTF8Hex, CStr, InStr, Left, Mid, PCase, StripSpaces, ToLower, ToUpper, Word. */
import { EvaluationFault } from '../errors';
import type { FunctionImpl } from '../runtime';
import { mapText, toInteger, toText, type Value } from '../values';

function culture(v: Value, fn: string): string | undefined {
  const c = toText(v, `${fn} culture`);
  if (c === null || c === '') return undefined;
  try {
    return Intl.getCanonicalLocales(c)[0];
  } catch {
    throw new EvaluationFault(`${fn}: "${c}" is not a culture name such as en-US`);
  }
}

/** Word characters for PCase without separators: letters, combining marks and digits (as .NET ToTitleCase). */
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

function properCase(s: string, separators: string | undefined): string {
  let out = '';
  let startOfWord = true;
  for (const ch of s) {
    const isSep = separators === undefined ? !WORD_CHAR.test(ch) : separators.includes(ch);
    if (isSep) {
      out += ch;
      startOfWord = true;
    } else {
      out += startOfWord ? ch.toUpperCase() : ch.toLowerCase();
      startOfWord = false;
    }
  }
  return out;
}

export const TEXT_FUNCTIONS: Record<string, FunctionImpl> = {
  Append: (a) => {
    const src = toText(a.value(0), 'Append source');
    const suffix = toText(a.value(1), 'Append suffix');
    if (src === null && suffix === null) return null;
    return (src ?? '') + (suffix ?? '');
  },
  // .NET's Encoding.Unicode: UTF-16 little-endian, then base64.
  ConvertToBase64: (a) => mapText(a.value(0), (s) => Buffer.from(s, 'utf16le').toString('base64')),
  ConvertToUTF8Hex: (a) => mapText(a.value(0), (s) => Buffer.from(s, 'utf8').toString('hex').toUpperCase()),
  CStr: (a) => {
    const v = a.value(0);
    return Array.isArray(v) ? mapText(v, (s) => s) : toText(v, 'CStr');
  },
  InStr: (a) => {
    const hay = toText(a.value(0), 'InStr value1');
    const needle = toText(a.value(1), 'InStr value2') ?? '';
    if (hay === null) return null;
    const start = a.provided(2) ? toInteger(a.value(2), 'InStr start') : 1;
    if (start < 1) throw new EvaluationFault('InStr start must be 1 or more');
    let text = 'vbBinaryCompare';
    if (a.provided(3)) {
      const node = a.node(3);
      text = node?.kind === 'identifier' ? node.name : (toText(a.value(3), 'InStr compareType') ?? '');
      if (text === '1') text = 'vbTextCompare';
      if (text === '0') text = 'vbBinaryCompare';
      if (text !== 'vbTextCompare' && text !== 'vbBinaryCompare') {
        throw new EvaluationFault('InStr compareType must be vbTextCompare or vbBinaryCompare');
      }
    }
    const fold = text === 'vbTextCompare';
    const h = fold ? hay.toLowerCase() : hay;
    const n = fold ? needle.toLowerCase() : needle;
    if (start > hay.length + 1) return 0;
    const idx = h.indexOf(n, start - 1);
    return idx < 0 ? 0 : idx + 1;
  },
  Left: (a) => {
    const n = toInteger(a.value(1), 'Left NumChars');
    const v = a.value(0);
    if (v === null) return '';
    return mapText(v, (s) => (n < 0 ? s : [...s].slice(0, n).join('')));
  },
  Mid: (a) => {
    const start = toInteger(a.value(1), 'Mid start');
    const length = toInteger(a.value(2), 'Mid length');
    if (start < 1) throw new EvaluationFault('Mid start must be 1 or more');
    if (length < 0) throw new EvaluationFault('Mid length must not be negative');
    return mapText(a.value(0), (s) => [...s].slice(start - 1, start - 1 + length).join(''));
  },
  PCase: (a) => {
    const seps = a.provided(1) ? (toText(a.value(1), 'PCase wordSeparators') ?? undefined) : undefined;
    return mapText(a.value(0), (s) => properCase(s, seps));
  },
  StripSpaces: (a) => mapText(a.value(0), (s) => s.replace(/ /g, '')),
  ToLower: (a) => {
    const c = a.provided(1) ? culture(a.value(1), 'ToLower') : undefined;
    return mapText(a.value(0), (s) => (c ? s.toLocaleLowerCase(c) : s.toLowerCase()));
  },
  ToUpper: (a) => {
    const c = a.provided(1) ? culture(a.value(1), 'ToUpper') : undefined;
    return mapText(a.value(0), (s) => (c ? s.toLocaleUpperCase(c) : s.toUpperCase()));
  },
  Word: (a) => {
    const n = toInteger(a.value(1), 'Word WordNumber');
    const delims = toText(a.value(2), 'Word delimiters') ?? '';
    const s = toText(a.value(0), 'Word String');
    if (s === null || n < 1) return '';
    const words: string[] = [];
    let cur = '';
    for (const ch of s) {
      if (delims.includes(ch)) {
        if (cur !== '') words.push(cur);
        cur = '';
      } else cur += ch;
    }
    if (cur !== '') words.push(cur);
    return words[n - 1] ?? '';
  },
};
