/**
 * NormalizeDiacritics: Microsoft's documented table (multi-letter results such as æ→ae, ø→oe, ß→ss and
 * letters that do not decompose such as ł→l, ı→i), then Unicode decomposition with every combining mark
 * removed, which covers the rest of the table (ä→a, é→e, ñ→n, …). Tenure also maps đ/Đ→d/D, which
 * Microsoft's table lacks (a documented complaint for Vietnamese names).
 */
const SPECIAL: Record<string, string> = {
  æ: 'ae',
  Æ: 'AE',
  ǣ: 'ae',
  Ǣ: 'AE',
  ø: 'oe',
  Ø: 'OE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
  đ: 'd',
  Đ: 'D',
};

const COMBINING = /\p{M}/gu;

export function normalizeDiacritics(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const special = SPECIAL[ch];
    if (special !== undefined) out += special;
    else out += ch.normalize('NFD').replace(COMBINING, '');
  }
  // A base letter may carry a mark that composed with a special letter (ø̄ → oe).
  return out.normalize('NFD').replace(COMBINING, '').normalize('NFC');
}
