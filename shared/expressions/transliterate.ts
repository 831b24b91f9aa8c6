/**
 * Transliterate(value, culture) — a Tenure extension. Culture-specific tables turn letters into their
 * conventional ASCII spelling for identifiers (UPN, mailNickname, mail), then any remaining diacritics are
 * removed as NormalizeDiacritics does. A culture without a table (en, fr, …) only gets the diacritics removed.
 *
 * - German (de): ä→ae ö→oe ü→ue ß→ss (Ä→Ae, or AE inside an all-capitals word; ẞ→SS).
 * - Danish / Norwegian (da, nb, nn, no): æ→ae ø→oe å→aa; Swedish / Finnish (sv, fi): ä→ae ö→oe å→aa
 *   (ICAO Doc 9303 spellings).
 * - Vietnamese (vi): every vowel with any tone or vowel mark → base letter (ắ→a, ự→u, ỡ→o …), đ→d.
 * - Cyrillic (ru, uk, be, bg, and `cyrillic`): ICAO Doc 9303 (7th edition, Part 3) transliteration, the
 *   standard Russian and Ukrainian passports use — pure ASCII: ж→zh х→kh ц→ts ч→ch ш→sh щ→shch ю→iu
 *   я→ia ъ→ie ы→y ь→(dropped) й→i ё→e є→ie і→i ї→i ґ→g.
 */
import { normalizeDiacritics } from './diacritics';

type Table = Readonly<Record<string, string>>;

const GERMAN: Table = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', Ä: 'AE', Ö: 'OE', Ü: 'UE', ẞ: 'SS' };
const DANO_NORWEGIAN: Table = { æ: 'ae', ø: 'oe', å: 'aa', Æ: 'AE', Ø: 'OE', Å: 'AA' };
const SWEDISH: Table = {
  ä: 'ae',
  ö: 'oe',
  å: 'aa',
  Ä: 'AE',
  Ö: 'OE',
  Å: 'AA',
  æ: 'ae',
  ø: 'oe',
  Æ: 'AE',
  Ø: 'OE',
};
const VIETNAMESE: Table = { đ: 'd', Đ: 'D' };

const CYRILLIC_LOWER: Table = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  є: 'ie',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ў: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: 'ie',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
};

const CYRILLIC: Table = Object.fromEntries(
  Object.entries(CYRILLIC_LOWER).flatMap(([k, v]) => [
    [k, v],
    [k.toUpperCase(), v.toUpperCase()],
  ]),
);

const TABLES: Readonly<Record<string, Table>> = {
  de: GERMAN,
  da: DANO_NORWEGIAN,
  nb: DANO_NORWEGIAN,
  nn: DANO_NORWEGIAN,
  no: DANO_NORWEGIAN,
  sv: SWEDISH,
  fi: SWEDISH,
  vi: VIETNAMESE,
  ru: CYRILLIC,
  uk: CYRILLIC,
  be: CYRILLIC,
  bg: CYRILLIC,
  cyrillic: CYRILLIC,
};

export const TRANSLITERATION_CULTURES: readonly string[] = Object.keys(TABLES);

/** Language part of a culture name (`de-AT` → `de`), lower-cased; undefined when no table exists. */
export function transliterationLanguage(culture: string): string | undefined {
  const lang = culture.trim().toLowerCase().split(/[-_]/)[0];
  return TABLES[lang] ? lang : undefined;
}

const isUpper = (ch: string | undefined): boolean =>
  !!ch && ch !== ch.toLowerCase() && ch === ch.toUpperCase();

export function transliterate(value: string, language: string): string {
  const table = TABLES[language];
  const chars = [...value.normalize('NFC')];
  let out = '';
  chars.forEach((ch, i) => {
    const mapped = table[ch];
    if (mapped === undefined) {
      out += ch;
      return;
    }
    // A capital that becomes two letters is title-cased (Ä→Ae) unless it sits in an all-capitals word.
    if (mapped.length > 1 && isUpper(ch) && !isUpper(chars[i + 1]) && !isUpper(chars[i - 1])) {
      out += mapped[0] + mapped.slice(1).toLowerCase();
    } else out += mapped;
  });
  return normalizeDiacritics(out);
}

/** True for a well-formed BCP 47 / RFC 4646 culture name (de, de-AT, sr-Cyrl-RS), or the word `cyrillic`. */
export function isCultureName(culture: string): boolean {
  if (culture.trim().toLowerCase() === 'cyrillic') return true;
  try {
    return Intl.getCanonicalLocales(culture.trim()).length === 1;
  } catch {
    return false;
  }
}
