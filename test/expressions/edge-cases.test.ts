/** Every function with nulls, multi-valued attributes and wrong types. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorOf, evaluate, isSkipped, valueOf } from './helpers';

const MULTI = { m: ['Anna', 'Bob', 'Anna'] };

describe('functions: nulls, multi-valued values, wrong types', () => {
  it('Append', () => {
    assert.equal(valueOf('Append([x], "@contoso.com")'), '@contoso.com');
    assert.ok(isSkipped('Append([x], [y])'));
    assert.equal(valueOf('Append([n], "x")', { n: 5 }), '5x');
    assert.equal(errorOf('Append([m], "x")', MULTI).code, 'TENURE_EXPR_EVALUATION');
  });
  it('BitAnd', () => {
    assert.equal(valueOf('BitAnd("12", 10)'), 8);
    assert.equal(errorOf('BitAnd("abc", 1)').code, 'TENURE_EXPR_EVALUATION');
    assert.equal(errorOf('BitAnd(1.5, 1)').code, 'TENURE_EXPR_EVALUATION');
  });
  it('CBool', () => {
    assert.equal(valueOf('CBool([x])'), false);
    assert.equal(valueOf('CBool("0")'), false);
    assert.equal(valueOf('CBool("42")'), true);
    assert.equal(valueOf('CBool("TRUE")'), true);
    assert.equal(errorOf('CBool("maybe")').code, 'TENURE_EXPR_EVALUATION');
  });
  it('CDate', () => {
    assert.ok(isSkipped('CDate([x])'));
    assert.equal(valueOf('CDate("8/25/2021 5:41:18 PM")'), '8/25/2021 5:41:18 PM');
    assert.equal(errorOf('CDate("not a date")').code, 'TENURE_EXPR_EVALUATION');
    assert.equal(errorOf('CDate("2021-02-30")').code, 'TENURE_EXPR_EVALUATION');
  });
  it('Coalesce', () => {
    assert.ok(isSkipped('Coalesce([a], [b])'));
    assert.equal(valueOf('Coalesce([a], [b], "")'), '');
    assert.deepEqual(valueOf('Coalesce([a], [m])', MULTI), ['Anna', 'Bob', 'Anna']);
    assert.equal(valueOf('Coalesce([e], "x")', { e: [] }), 'x');
  });
  it('ConvertToBase64 / ConvertToUTF8Hex', () => {
    assert.ok(isSkipped('ConvertToBase64([x])'));
    assert.equal(valueOf('ConvertToUTF8Hex("ä")'), 'C3A4');
    assert.deepEqual(valueOf('ConvertToUTF8Hex([m])', { m: ['A', 'B'] }), ['41', '42']);
  });
  it('Count', () => {
    assert.equal(valueOf('Count([m])', MULTI), 3);
    assert.equal(valueOf('Count([x])'), 0);
    assert.equal(valueOf('Count([s])', { s: 'one' }), 1);
  });
  it('CStr', () => {
    assert.equal(valueOf('CStr([n])', { n: 42 }), '42');
    assert.equal(valueOf('CStr([b])', { b: true }), 'True');
    assert.ok(isSkipped('CStr([x])'));
    assert.equal(valueOf('CStr(CDate("2021-01-02"))'), '1/2/2021 12:00:00 AM');
  });
  it('DateAdd', () => {
    assert.ok(isSkipped('DateAdd("d", 1, [x])'));
    assert.equal(valueOf('DateAdd("m", 1, CDate("2021-01-31"))'), '2/28/2021 12:00:00 AM');
    assert.equal(valueOf('DateAdd("yyyy", 1, CDate("2020-02-29"))'), '2/28/2021 12:00:00 AM');
    assert.equal(valueOf('DateAdd("h", 5, "2021-01-01")'), '1/1/2021 5:00:00 AM');
    assert.equal(errorOf('DateAdd("d", "x", Now())').code, 'TENURE_EXPR_EVALUATION');
    assert.equal(errorOf('DateAdd([i], 1, Now())', { i: 'q' }).code, 'TENURE_EXPR_EVALUATION');
  });
  it('DateDiff', () => {
    assert.ok(isSkipped('DateDiff("d", [x], Now())'));
    assert.equal(
      valueOf('DateDiff("d", CDate("2021-01-01"), CDate("2021-01-01T12:00:00Z"))'),
      0,
      'half a day rounds to even',
    );
    assert.equal(valueOf('DateDiff("d", CDate("2021-01-01"), CDate("2021-01-02T12:00:00Z"))'), 2);
    assert.equal(errorOf('DateDiff("d", "garbage", Now())').code, 'TENURE_EXPR_EVALUATION');
  });
  it('DateFromNum', () => {
    assert.ok(isSkipped('DateFromNum([x])'));
    assert.equal(valueOf('DateFromNum(0)'), '1/1/1601 12:00:00 AM');
    assert.equal(errorOf('DateFromNum("abc")').code, 'TENURE_EXPR_EVALUATION');
  });
  it('FormatDateTime', () => {
    assert.ok(isSkipped('FormatDateTime([x], "yyyy-MM-dd", "dd.MM.yyyy")'));
    assert.equal(
      valueOf('FormatDateTime([d], "yyyy-MM-dd", "dd.MM.yyyy")', { d: '2024-02-29' }),
      '29.02.2024',
    );
    assert.equal(
      valueOf('FormatDateTime(CDate("2024-02-29T13:05:09Z"), , "yyyy", "dddd, MMMM d, yyyy h:mm tt")'),
      'Thursday, February 29, 2024 1:05 PM',
    );
    assert.equal(
      valueOf('FormatDateTime([d], "RoundtripKind", "yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ssK")', {
        d: '2024-01-01T10:00:00+02:00',
      }),
      '2024-01-01T08:00:00Z',
    );
    assert.equal(
      errorOf('FormatDateTime([d], "yyyy-MM-dd", "dd.MM.yyyy")', { d: '01/02/2024' }).code,
      'TENURE_EXPR_EVALUATION',
    );
    assert.equal(
      errorOf('FormatDateTime([d], "Bogus", "yyyy", "yyyy")', { d: '2024' }).code,
      'TENURE_EXPR_EVALUATION',
    );
  });
  it('Guid is deterministic for a seed and differs across seeds', () => {
    assert.equal(valueOf('Guid()', {}, { seed: 3 }), valueOf('Guid()', {}, { seed: 3 }));
    assert.notEqual(valueOf('Guid()', {}, { seed: 3 }), valueOf('Guid()', {}, { seed: 4 }));
  });
  it('IgnoreFlowIfNullOrEmpty', () => {
    assert.ok(isSkipped('IgnoreFlowIfNullOrEmpty([m])', { m: [] }));
    assert.deepEqual(valueOf('IgnoreFlowIfNullOrEmpty([m])', MULTI), ['Anna', 'Bob', 'Anna']);
    assert.ok(
      isSkipped('Join("-", "a", IgnoreFlowIfNullOrEmpty([x]))'),
      'drops the attribute even when nested',
    );
  });
  it('IIF and comparisons', () => {
    assert.equal(valueOf('IIF([x]="", "empty", "set")'), 'empty', 'Tenure compares an absent value as ""');
    assert.equal(
      valueOf('IIF([n] > 9, "big", "small")', { n: '10' }),
      'big',
      'numeric when both sides are numbers',
    );
    assert.equal(valueOf('IIF([s] > "9", "big", "small")', { s: 'a' }), 'big', 'ordinal otherwise');
    assert.equal(valueOf('IIF([x] >= 1, "y", "n")'), 'n', 'an absent value is never ordered');
    assert.equal(valueOf('IIF([a] <> "x", "y", "n")', { a: 'X' }), 'y', 'case-sensitive');
    assert.equal(valueOf('IIF(CDate("2021-01-01") < CDate("2021-01-02"), "y", "n")'), 'y');
    assert.equal(valueOf('IIF([n] <= 10, "y", "n")', { n: 10 }), 'y');
    assert.equal(errorOf('IIF("perhaps", "a", "b")').code, 'TENURE_EXPR_EVALUATION');
    assert.equal(valueOf('IIF(IsPresent([x]), Guid(), "no")'), 'no', 'only the chosen branch is evaluated');
  });
  it('InStr', () => {
    assert.ok(isSkipped('InStr([x], "a")'));
    assert.equal(valueOf('InStr("repEated","E",1,vbTextCompare)'), 2);
    assert.equal(valueOf('InStr("abc","z")'), 0);
    assert.equal(valueOf('InStr("abc","c",9)'), 0);
    assert.equal(errorOf('InStr("abc","a",0)').code, 'TENURE_EXPR_EVALUATION');
    assert.equal(errorOf('InStr("abc","a",1,"vbNope")').code, 'TENURE_EXPR_EVALUATION');
  });
  it('IsNull / IsNullOrEmpty / IsPresent / IsString', () => {
    assert.equal(valueOf('IsNull([m])', { m: [] }), true);
    assert.equal(valueOf('IsPresent([m])', MULTI), true);
    assert.equal(valueOf('IsString([s])', { s: 'x' }), true);
    assert.equal(valueOf('IsString([n])', { n: 1 }), false);
    assert.equal(valueOf('IsString([x])'), false);
    assert.equal(valueOf('IsString([m])', MULTI), false);
  });
  it('Item', () => {
    assert.equal(valueOf('Item([m], 2)', MULTI), 'Bob');
    assert.ok(isSkipped('Item([m], 9)', MULTI));
    assert.ok(isSkipped('Item([x], 1)'));
    assert.equal(valueOf('Item([s], 1)', { s: 'single' }), 'single');
    assert.equal(errorOf('Item([m], 0)', MULTI).code, 'TENURE_EXPR_EVALUATION');
    assert.equal(errorOf('Item([m], "one")', MULTI).code, 'TENURE_EXPR_EVALUATION');
  });
  it('Join', () => {
    assert.ok(isSkipped('Join(".", [a], [b])'));
    assert.equal(valueOf('Join("", [n], [b])', { n: 7, b: true }), '7True');
    assert.equal(valueOf('Join([sep], "a", "b")', {}), 'ab', 'absent separator joins with nothing');
  });
  it('Left', () => {
    assert.equal(valueOf('Left([x], 3)'), '', 'null string gives empty string');
    assert.equal(valueOf('Left("John", 0)'), '');
    assert.equal(valueOf('Left("John", -1)'), 'John');
    assert.equal(valueOf('Left("John", 10)'), 'John');
    assert.deepEqual(valueOf('Left([m], 1)', MULTI), ['A', 'B', 'A']);
    assert.equal(errorOf('Left("John", "x")').code, 'TENURE_EXPR_EVALUATION');
  });
  it('Mid', () => {
    assert.ok(isSkipped('Mid([x], 1, 2)'));
    assert.equal(valueOf('Mid("John Doe", 6, 10)'), 'Doe');
    assert.equal(valueOf('Mid("John", 9, 2)'), '');
    assert.equal(errorOf('Mid("John", 0, 2)').code, 'TENURE_EXPR_EVALUATION');
    assert.equal(errorOf('Mid("John", 1, -2)').code, 'TENURE_EXPR_EVALUATION');
  });
  it('NormalizeDiacritics covers the documented table', () => {
    assert.equal(
      valueOf('NormalizeDiacritics("äàâãåáąăā æ ç č ď ë ę ğ ï ı ł ñ ö ő ø œ ř ß š ș ť ț ü ů ű ÿ ý ž ż")'),
      'aaaaaaaaa ae c c d e e g i i l n o o oe oe r ss s s t t u u u y y z z',
    );
    assert.equal(valueOf('NormalizeDiacritics("ÄÅ Æ Ø Ł İ Ñ")'), 'AA AE OE L I N');
    assert.equal(valueOf('NormalizeDiacritics("Nguyễn Đức Trường")'), 'Nguyen Duc Truong');
    assert.ok(isSkipped('NormalizeDiacritics([x])'));
    assert.deepEqual(valueOf('NormalizeDiacritics([m])', { m: ['Zoë', 'José'] }), ['Zoe', 'Jose']);
  });
  it('Not', () => {
    assert.equal(valueOf('Not("True")'), false);
    assert.equal(valueOf('Not("False")'), true);
    assert.equal(valueOf('Not([x])'), true, 'anything but True gives True');
    assert.equal(valueOf('Not(IsPresent([x]))'), true);
  });
  it('NumFromDate', () => {
    assert.ok(isSkipped('NumFromDate([x])'));
    assert.equal(valueOf('NumFromDate("1601-01-01T00:00:00Z")'), '0');
    assert.equal(valueOf('NumFromDate(DateFromNum(129699324000000000))'), '129699324000000000');
    assert.equal(errorOf('NumFromDate("yesterday")').code, 'TENURE_EXPR_EVALUATION');
  });
  it('PCase', () => {
    assert.equal(valueOf('PCase("NGUYỄN VĂN A")'), 'Nguyễn Văn A');
    assert.equal(valueOf('PCase("jean-luc o\'neil")'), "Jean-Luc O'Neil");
    assert.equal(valueOf('PCase("jean-luc", " ")'), 'Jean-luc');
    assert.ok(isSkipped('PCase([x])'));
  });
  it('RandomString', () => {
    assert.equal(
      valueOf('RandomString(8,2,2,2,2)', {}, { seed: 9 }),
      valueOf('RandomString(8,2,2,2,2)', {}, { seed: 9 }),
    );
    assert.equal(errorOf('RandomString(3,2,2,0,0)').code, 'TENURE_EXPR_EVALUATION');
    assert.equal(errorOf('RandomString(300,0,0,0,0)').code, 'TENURE_EXPR_EVALUATION');
    assert.equal(errorOf('RandomString(4,1,0,0,0,"0123456789")').code, 'TENURE_EXPR_EVALUATION');
  });
  it('Redact of nothing is a skip that is still marked', () => {
    const r = evaluate('Redact([x])');
    assert.equal(r.kind, 'skip');
    assert.equal(r.redacted, true);
  });
  it('RemoveDuplicates', () => {
    assert.equal(valueOf('RemoveDuplicates([s])', { s: 'one' }), 'one');
    assert.ok(isSkipped('RemoveDuplicates([x])'));
  });
  it('Replace', () => {
    assert.ok(isSkipped('Replace([x], "a", , , "b", , )'));
    assert.equal(valueOf('Replace("aXbX", "X", , , "-", , )'), 'a-b-');
    assert.equal(
      valueOf('Replace("2024-01-31", , "(\\\\d+)-(\\\\d+)-(\\\\d+)", , "$3.$2.$1", , )'),
      '31.01.2024',
    );
    assert.equal(valueOf('Replace("price", , "p", , "$$", , )'), '$rice');
    assert.equal(valueOf('Replace([t], , "(?<n>\\\\d+)", "n", , [other], )', { t: 'keep' }), 'keep');
    assert.ok(isSkipped('Replace([t], , "(?<n>\\\\d+)", "n", , [other], )', { t: '', other: 'none' }));
    assert.equal(errorOf('Replace("a", , , , "b", , )').code, 'TENURE_EXPR_EVALUATION');
    assert.equal(errorOf('Replace("a", "a", , , , , )').code, 'TENURE_EXPR_EVALUATION');
    assert.equal(errorOf('Replace([m], "a", , , "b", , )', MULTI).code, 'TENURE_EXPR_EVALUATION');
  });
  it('SelectUniqueValue hands its candidates to the reconciler', () => {
    const r = evaluate('SelectUniqueValue("a@x", [missing], "b@x", "a@x")');
    assert.equal(r.kind, 'value');
    assert.deepEqual(r.candidates, ['a@x', 'b@x']);
    assert.equal(valueOf('SelectUniqueValue("a", "b")'), 'a', 'no taken predicate: the first candidate');
    assert.equal(valueOf('SelectUniqueValue("a", "b")', {}, { taken: ['a'] }), 'b');
    assert.ok(isSkipped('SelectUniqueValue([x], [y])'));
  });
  it('SelectUniqueValue with every candidate taken is an error', () => {
    try {
      evaluate('SelectUniqueValue("a", "b")', {}, { taken: ['a', 'b'] });
      assert.fail('expected an error');
    } catch (err) {
      assert.equal((err as { code?: string }).code, 'TENURE_EXPR_EVALUATION');
    }
  });
  it('SingleAppRoleAssignment', () => {
    assert.equal(valueOf('SingleAppRoleAssignment([r])', { r: ['Admin'] }), 'Admin');
    assert.ok(isSkipped('SingleAppRoleAssignment([r])', { r: [] }));
    assert.equal(errorOf('SingleAppRoleAssignment([r])', { r: ['A', 'B'] }).code, 'TENURE_EXPR_EVALUATION');
  });
  it('Split', () => {
    assert.ok(isSkipped('Split([x], ",")'));
    assert.deepEqual(valueOf('Split("a||b", "||")'), ['a', 'b']);
    assert.equal(errorOf('Split("a", "")').code, 'TENURE_EXPR_EVALUATION');
  });
  it('StripSpaces removes only spaces', () => {
    assert.equal(valueOf('StripSpaces(" a b\tc ")'), 'ab\tc');
    assert.ok(isSkipped('StripSpaces([x])'));
  });
  it('Switch', () => {
    assert.equal(valueOf('Switch([s], "d", "a", "A")', { s: 'a' }), 'A');
    assert.equal(valueOf('Switch([s], "d", "a", "A")', { s: 'A' }), 'd', 'case-sensitive');
    assert.equal(valueOf('Switch([n], "d", "1", "one")', { n: 1 }), 'one');
    assert.equal(valueOf('Switch([b], "d", "True", "yes")', { b: true }), 'yes');
  });
  it('ToLower / ToUpper with cultures', () => {
    assert.equal(valueOf('ToLower("TITLE")'), 'title');
    assert.equal(valueOf('ToLower("TITLE", "tr-TR")'), 'tıtle');
    assert.equal(valueOf('ToUpper("istanbul", "tr-TR")'), 'İSTANBUL');
    assert.ok(isSkipped('ToUpper([x])'));
    assert.equal(errorOf('ToUpper("a", [c])', { c: 'not a culture' }).code, 'TENURE_EXPR_EVALUATION');
  });
  it('Word', () => {
    assert.equal(valueOf('Word([x], 1, " ")'), '');
    assert.equal(valueOf('Word("a b", 0, " ")'), '');
    assert.equal(valueOf('Word("a b", 3, " ")'), '');
    assert.equal(valueOf('Word("  a   b ", 2, " ")'), 'b');
  });
  it('Transliterate', () => {
    assert.ok(isSkipped('Transliterate([x], "de")'));
    assert.deepEqual(valueOf('Transliterate([m], "de")', { m: ['Jörg', 'Ülkü'] }), ['Joerg', 'Uelkue']);
    assert.equal(valueOf('Transliterate("Zoë Ærø", "fr")'), 'Zoe AEroe', 'no table: diacritics removed');
  });
  it('attribute values of unsupported types are evaluation errors', () => {
    assert.equal(errorOf('Append([o], "")', { o: { nested: 1 } }).code, 'TENURE_EXPR_EVALUATION');
    assert.equal(errorOf('Join(",", [o])', { o: [{ nested: 1 }] }).code, 'TENURE_EXPR_EVALUATION');
  });
  it('integers beyond 2^53 stay exact', () => {
    assert.equal(valueOf('CStr(129699324000000001)'), '129699324000000001');
    assert.equal(valueOf('CStr(&H1FFFFFFFFFFFFFFF)'), '2305843009213693951');
  });
  it('evaluation errors carry the failing call position', () => {
    const err = errorOf('Join(".", Left("x", "y"))');
    assert.equal(err.line, 1);
    assert.equal(err.column, 11);
  });
});
