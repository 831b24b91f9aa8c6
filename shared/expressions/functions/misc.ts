/** Guid, NormalizeDiacritics, RandomString, Redact, SelectUniqueValue and the Transliterate extension. */
import { normalizeDiacritics } from '../diacritics';
import { EvaluationFault } from '../errors';
import type { FunctionImpl, Runtime } from '../runtime';
import { isCultureName, transliterate, transliterationLanguage } from '../transliterate';
import { mapText, toInteger, toText } from '../values';

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
/** Special characters of Windows password complexity rules (Microsoft's RandomString reference). */
const SPECIAL = '~!@#$%^&*_-+=`|\\(){}[]:;"\'<>,.?/';

function pick(rt: Runtime, alphabet: string): string {
  return alphabet[Math.floor(rt.random() * alphabet.length) % alphabet.length];
}

export const MISC_FUNCTIONS: Record<string, FunctionImpl> = {
  Guid: (_a, rt) => {
    const b = Array.from({ length: 16 }, () => Math.floor(rt.random() * 256) & 0xff);
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  },
  NormalizeDiacritics: (a) => mapText(a.value(0), normalizeDiacritics),
  RandomString: (a, rt) => {
    const length = toInteger(a.value(0), 'RandomString Length');
    const mins = [1, 2, 3, 4].map((i) => toInteger(a.value(i), 'RandomString minimum'));
    if (length < 1 || length > 256) throw new EvaluationFault('RandomString Length must be 1 to 256');
    if (mins.some((m) => m < 0)) throw new EvaluationFault('RandomString minimums must not be negative');
    if (mins.reduce((x, y) => x + y, 0) > length)
      throw new EvaluationFault('RandomString minimums exceed Length');
    const avoid = a.provided(5) ? (toText(a.value(5), 'RandomString CharactersToAvoid') ?? '') : '';
    const sets = [DIGITS, SPECIAL, UPPER, LOWER].map((s) =>
      [...s].filter((c) => !avoid.includes(c)).join(''),
    );
    sets.forEach((s, i) => {
      if (mins[i] > 0 && s === '')
        throw new EvaluationFault('RandomString: every character of a required class is avoided');
    });
    const all = sets.join('');
    if (all === '') throw new EvaluationFault('RandomString: every character is avoided');
    const chars: string[] = [];
    sets.forEach((s, i) => {
      for (let k = 0; k < mins[i]; k++) chars.push(pick(rt, s));
    });
    while (chars.length < length) chars.push(pick(rt, all));
    for (let i = chars.length - 1; i > 0; i--) {
      const j = Math.floor(rt.random() * (i + 1)) % (i + 1);
      [chars[i], chars[j]] = [chars[j], chars[i]];
    }
    return chars.join('');
  },
  // The value flows unchanged; the evaluation result is marked so logs and plans print "[Redact]".
  Redact: (a, rt) => {
    rt.markRedacted();
    return a.value(0);
  },
  SelectUniqueValue: (a, rt) => {
    const candidates: string[] = [];
    for (let i = 0; i < a.count; i++) {
      const t = toText(a.value(i), 'SelectUniqueValue rule');
      if (t !== null && t !== '' && !candidates.includes(t)) candidates.push(t);
    }
    rt.recordCandidates(candidates);
    if (candidates.length === 0) return null;
    if (!rt.taken) return candidates[0];
    const free = candidates.find((c) => !rt.taken!(c));
    if (free === undefined) throw new EvaluationFault('SelectUniqueValue: every candidate is already taken');
    return free;
  },
  // Languages without a table get the generic treatment (diacritics removed), so a culture taken from HR data
  // never fails provisioning; a malformed culture name is an error.
  Transliterate: (a) => {
    const culture = toText(a.value(1), 'Transliterate culture') ?? '';
    if (culture !== '' && !isCultureName(culture))
      throw new EvaluationFault(`Transliterate: "${culture}" is not a culture name such as de-DE`);
    const lang = transliterationLanguage(culture);
    return mapText(a.value(0), (s) => (lang ? transliterate(s, lang) : normalizeDiacritics(s)));
  },
};
