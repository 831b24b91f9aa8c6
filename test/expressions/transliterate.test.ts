/** Transliterate tables (a Tenure extension). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transliterate } from '../../shared/expressions/transliterate';
import { valueOf } from './helpers';

describe('Transliterate', () => {
  it('German: umlauts and ß, with capitals', () => {
    assert.equal(transliterate('Jürgen Müller-Lüdenscheidt', 'de'), 'Juergen Mueller-Luedenscheidt');
    assert.equal(transliterate('Ärger Öl Übel Straße', 'de'), 'Aerger Oel Uebel Strasse');
    assert.equal(transliterate('MÜLLER ÄRGER GROẞ', 'de'), 'MUELLER AERGER GROSS');
    assert.equal(transliterate('Ö', 'de'), 'Oe');
    assert.equal(valueOf('Transliterate([n], "de-AT")', { n: 'Jörg' }), 'Joerg');
  });
  it('German still removes other diacritics', () => {
    assert.equal(transliterate('Zoë Renée', 'de'), 'Zoe Renee');
  });
  it('Scandinavian: æ ø å', () => {
    assert.equal(transliterate('Søren Ærø Åse Bjørn', 'da'), 'Soeren Aeroe Aase Bjoern');
    assert.equal(transliterate('BJØRN', 'nb'), 'BJOERN');
    assert.equal(transliterate('Åsa Öberg Ängel', 'sv'), 'Aasa Oeberg Aengel');
  });
  it('Vietnamese: every vowel with tone marks, and đ', () => {
    const vowels = 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ';
    assert.equal(
      transliterate(vowels, 'vi'),
      'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyy',
    );
    assert.equal(
      transliterate(vowels.toUpperCase(), 'vi'),
      'AAAAAAAAAAAAAAAAAEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYY',
    );
    assert.equal(transliterate('Đặng Thị Ngọc Hường', 'vi'), 'Dang Thi Ngoc Huong');
    assert.equal(transliterate('đ', 'vi'), 'd');
  });
  it('Cyrillic: ICAO Doc 9303', () => {
    assert.equal(transliterate('Юлия Щербакова', 'ru'), 'Iuliia Shcherbakova');
    assert.equal(transliterate('Жанна Хабибуллина', 'ru'), 'Zhanna Khabibullina');
    assert.equal(
      transliterate('Царёв Чайковский Подъячев Ильин Эмма', 'ru'),
      'Tsarev Chaikovskii Podieiachev Ilin Emma',
    );
    assert.equal(transliterate('ЩУКИН', 'ru'), 'SHCHUKIN');
    assert.equal(transliterate('Євгенія Ґудзь Їжак Іван', 'uk'), 'Ievgeniia Gudz Izhak Ivan');
    assert.equal(transliterate('Георги', 'bg'), 'Georgi');
  });
  it('a culture without a table only removes diacritics', () => {
    assert.equal(valueOf('Transliterate("François Müller", "fr-FR")'), 'Francois Muller');
  });
});
