// RFC 4180 reader: BOM, quoted fields, quoted line breaks, escaped quotes, CRLF/LF, and precise syntax errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvSyntaxError, parseCsv } from '../../shared/ingest';

const cells = (text: string) => parseCsv(text).map((r) => r.cells);

test('plain records with LF, CRLF, lone CR and no final line break', () => {
  assert.deepEqual(cells('a,b\n1,2\n'), [
    ['a', 'b'],
    ['1', '2'],
  ]);
  assert.deepEqual(cells('a,b\r\n1,2\r\n'), [
    ['a', 'b'],
    ['1', '2'],
  ]);
  assert.deepEqual(cells('a,b\r1,2'), [
    ['a', 'b'],
    ['1', '2'],
  ]);
  assert.deepEqual(cells('a,b\n1,2'), [
    ['a', 'b'],
    ['1', '2'],
  ]);
});

test('a UTF-8 BOM is skipped and not part of the first column name', () => {
  assert.deepEqual(cells('\uFEFFWorkerID,Name\n1,x\n'), [
    ['WorkerID', 'Name'],
    ['1', 'x'],
  ]);
});

test('quoted fields keep commas, line breaks and escaped quotes', () => {
  const rows = parseCsv('id,address,note\r\n1,"303 Mansion Ct,\r\nSuite 5","He said ""hi"""\r\n2,x,y\r\n');
  assert.deepEqual(rows[1]!.cells, ['1', '303 Mansion Ct,\r\nSuite 5', 'He said "hi"']);
  assert.equal(rows[1]!.line, 2);
  // The quoted line break moves the next record to line 4.
  assert.equal(rows[2]!.line, 4);
  assert.deepEqual(cells('a\n"x\ny"\n'), [['a'], ['x\ny']]);
});

test('empty fields, trailing commas and blank lines', () => {
  assert.deepEqual(cells('a,b,c\n,,\n'), [
    ['a', 'b', 'c'],
    ['', '', ''],
  ]);
  assert.deepEqual(cells('a,b\n1,'), [
    ['a', 'b'],
    ['1', ''],
  ]);
  assert.deepEqual(cells('a,b\n"1",'), [
    ['a', 'b'],
    ['1', ''],
  ]);
  assert.deepEqual(cells('a\n\n\n1\n'), [['a'], ['1']]);
  assert.deepEqual(cells('a,b\n"",""\n'), [
    ['a', 'b'],
    ['', ''],
  ]);
});

test('a quote inside an unquoted field is text', () => {
  assert.deepEqual(cells('a\n5" screen\n'), [['a'], ['5" screen']]);
});

test('an unterminated quoted field is an error at its opening line and column', () => {
  assert.throws(
    () => parseCsv('a,b\n1,"open\n2,3\n'),
    (e: unknown) =>
      e instanceof CsvSyntaxError && e.code === 'TENURE_CSV_SYNTAX' && e.line === 2 && e.column === 3,
  );
});

test('text after a closing quote is an error', () => {
  assert.throws(
    () => parseCsv('a,b\n"x"y,2\n'),
    (e: unknown) => e instanceof CsvSyntaxError && e.line === 2 && e.column === 4,
  );
});
