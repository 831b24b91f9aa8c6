/** .NET custom date/time formats: parsing by format, lenient parsing, formatting. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDateExact, parseDateLoose } from '../../shared/expressions/dotnet-date-parse';
import { DateFormatError, formatDate, tokenizeDateFormat } from '../../shared/expressions/dotnet-datetime';

const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

describe('.NET date formats', () => {
  it('parses exactly by format', () => {
    assert.equal(
      iso(parseDateExact('20150123105347.1Z', 'yyyyMMddHHmmss.fZ')?.ms),
      '2015-01-23T10:53:47.100Z',
    );
    assert.equal(
      iso(parseDateExact('12/31/2020 10:00:00 PM', 'M/d/yyyy hh:mm:ss tt')?.ms),
      '2020-12-31T22:00:00.000Z',
    );
    assert.equal(
      iso(parseDateExact('12/31/2020 12:30:00 AM', 'M/d/yyyy hh:mm:ss tt')?.ms),
      '2020-12-31T00:30:00.000Z',
    );
    assert.equal(iso(parseDateExact('2020-12-31-08:00', 'yyyy-MM-ddzzz')?.ms), '2020-12-31T08:00:00.000Z');
    assert.equal(iso(parseDateExact('05 Mar 24', 'dd MMM yy')?.ms), '2024-03-05T00:00:00.000Z');
    assert.equal(
      iso(parseDateExact('Tuesday, 5 March 1985', 'dddd, d MMMM yyyy')?.ms),
      '1985-03-05T00:00:00.000Z',
    );
    assert.equal(
      iso(parseDateExact('  2024-01-02  ', 'yyyy-MM-dd')?.ms),
      '2024-01-02T00:00:00.000Z',
      'surrounding white space',
    );
    assert.equal(
      iso(parseDateExact('2024-01-02T03:04:05Z', "yyyy-MM-dd'T'HH:mm:ssK")?.ms),
      '2024-01-02T03:04:05.000Z',
    );
    assert.equal(
      iso(parseDateExact('2024-01-02T03:04:05+01:00', "yyyy-MM-dd'T'HH:mm:ssK")?.ms),
      '2024-01-02T02:04:05.000Z',
    );
  });
  it('two-digit years follow .NET (00-49 → 20xx, 50-99 → 19xx)', () => {
    assert.equal(iso(parseDateExact('49-01-01', 'yy-MM-dd')?.ms), '2049-01-01T00:00:00.000Z');
    assert.equal(iso(parseDateExact('50-01-01', 'yy-MM-dd')?.ms), '1950-01-01T00:00:00.000Z');
  });
  it('rejects text that does not match or names an impossible date', () => {
    assert.equal(parseDateExact('2024-1-02', 'yyyy-MM-dd'), undefined);
    assert.equal(parseDateExact('2024-01-02x', 'yyyy-MM-dd'), undefined);
    assert.equal(parseDateExact('2023-02-29', 'yyyy-MM-dd'), undefined);
    assert.equal(parseDateExact('13:00 PM', 'hh:mm tt'), undefined);
  });
  it('lenient parsing (CDate)', () => {
    assert.equal(iso(parseDateLoose('2020-03-16-07:00')?.ms), '2020-03-16T07:00:00.000Z');
    assert.equal(iso(parseDateLoose('2009-06-15T01:45:30-07:00')?.ms), '2009-06-15T08:45:30.000Z');
    assert.equal(iso(parseDateLoose('8/25/2021 5:41:18 PM')?.ms), '2021-08-25T17:41:18.000Z');
    assert.equal(iso(parseDateLoose('2021-08-24')?.ms), '2021-08-24T00:00:00.000Z');
    assert.equal(
      iso(parseDateLoose('2021-08-24 10:00', () => 120)?.ms),
      '2021-08-24T08:00:00.000Z',
      'assumed offset',
    );
    assert.equal(parseDateLoose('tomorrow'), undefined);
  });
  it('formats', () => {
    const ms = Date.UTC(2024, 1, 29, 13, 5, 9, 120);
    assert.equal(formatDate(ms, 'M/d/yyyy h:mm:ss tt'), '2/29/2024 1:05:09 PM');
    assert.equal(formatDate(ms, 'yyyy-MM-ddTHH:mm:ss.fffK'), '2024-02-29T13:05:09.120Z');
    assert.equal(formatDate(ms, 'ddd MMM dd yy'), 'Thu Feb 29 24');
    assert.equal(
      formatDate(Date.UTC(2024, 0, 1), 'HH:mm:ss.FFF'),
      '00:00:00',
      'F drops trailing zeros and the dot',
    );
    assert.equal(formatDate(ms, 'yyyy-MM-dd zzz', 120), '2024-02-29 +02:00');
    assert.equal(formatDate(ms, "'Day' d \\o\\f MMMM"), 'Day 29 of February');
    assert.equal(formatDate(ms, 'o'), '2024-02-29T13:05:09.1200000Z');
  });
  it('invalid formats are errors', () => {
    assert.throws(() => tokenizeDateFormat("yyyy-'MM"), DateFormatError);
    assert.throws(() => tokenizeDateFormat('HHH'), DateFormatError);
    assert.throws(() => tokenizeDateFormat('x'), DateFormatError);
  });
});
