/** Parse-once checks: every compile error has a code and an exact position inside the expression. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileExpression } from '../../shared/expressions/compiler';
import { ExpressionError } from '../../shared/expressions/errors';
import { IMPLEMENTATIONS } from '../../shared/expressions/functions/index';
import { SIGNATURES } from '../../shared/expressions/signatures';

function compileError(src: string, known?: string[]): ExpressionError {
  try {
    compileExpression(src, known ? { knownAttributes: new Set(known) } : {});
  } catch (err) {
    assert.ok(err instanceof ExpressionError);
    return err;
  }
  assert.fail(`expected ${src} not to compile`);
}

function assertError(src: string, code: string, line: number, column: number, known?: string[]): void {
  const err = compileError(src, known);
  assert.equal(err.code, code, `${src}: ${err.message}`);
  assert.deepEqual([err.line, err.column], [line, column], `${src}: ${err.message}`);
}

const ISSUE_FUNCTIONS =
  'Append BitAnd CBool CDate Coalesce ConvertToBase64 ConvertToUTF8Hex Count CStr DateAdd DateDiff DateFromNum FormatDateTime Guid IgnoreFlowIfNullOrEmpty IIF InStr IsNull IsNullOrEmpty IsPresent IsString Item Join Left Mid NormalizeDiacritics Not Now NumFromDate PCase RandomString Redact RemoveDuplicates Replace SelectUniqueValue SingleAppRoleAssignment Split StripSpaces Switch ToLower ToUpper Word'.split(
    ' ',
  );

describe('expression compilation', () => {
  it('knows every function the issue lists, plus Transliterate, and implements exactly those', () => {
    for (const name of ISSUE_FUNCTIONS) assert.ok(SIGNATURES.has(name), name);
    assert.ok(SIGNATURES.get('Transliterate')?.extension);
    assert.deepEqual([...IMPLEMENTATIONS.keys()].sort(), [...SIGNATURES.keys()].sort());
  });
  it('syntax errors', () => {
    assertError('Join(".", [a]', 'TENURE_EXPR_SYNTAX', 1, 14);
    assertError('Join(".", "abc)', 'TENURE_EXPR_SYNTAX', 1, 11);
    assertError('Left([givenName, 1)', 'TENURE_EXPR_SYNTAX', 1, 6);
    assertError('[]', 'TENURE_EXPR_SYNTAX', 1, 1);
    assertError('Join(".", [a]) [b]', 'TENURE_EXPR_SYNTAX', 1, 16);
    assertError('Join(".";[a])', 'TENURE_EXPR_SYNTAX', 1, 9);
    assertError('IIF([a] = [b] = [c], "x", "y")', 'TENURE_EXPR_SYNTAX', 1, 15);
    assertError('&Hzz', 'TENURE_EXPR_SYNTAX', 1, 1);
    assertError('"ok" \\', 'TENURE_EXPR_SYNTAX', 1, 6);
    assertError('', 'TENURE_EXPR_SYNTAX', 1, 1);
  });
  it('positions span lines', () => {
    assertError('Join(".",\n  Foo([a]))', 'TENURE_EXPR_UNKNOWN_FUNCTION', 2, 3);
  });
  it('unknown functions, with a hint for wrong case', () => {
    assertError('Concat("a", "b")', 'TENURE_EXPR_UNKNOWN_FUNCTION', 1, 1);
    const err = compileError('Join(".", tolower([a]))');
    assert.equal(err.code, 'TENURE_EXPR_UNKNOWN_FUNCTION');
    assert.equal(err.column, 11);
    assert.match(err.message, /ToLower/);
  });
  it('wrong argument counts', () => {
    assertError('Left("abc")', 'TENURE_EXPR_ARITY', 1, 1);
    assertError('Guid(1)', 'TENURE_EXPR_ARITY', 1, 1);
    assertError('Join(".")', 'TENURE_EXPR_ARITY', 1, 1);
    assertError('Replace([a], "x", , , "y")', 'TENURE_EXPR_ARITY', 1, 1);
    assertError('Switch([a], "d", "k")', 'TENURE_EXPR_ARITY', 1, 1);
    assertError('Switch([a], "d", "k", "v", "k2")', 'TENURE_EXPR_ARITY', 1, 1);
    assertError('SelectUniqueValue("a")', 'TENURE_EXPR_ARITY', 1, 1);
    assertError('Append("a", Mid("b", 1))', 'TENURE_EXPR_ARITY', 1, 13);
  });
  it('unknown attributes when the attribute list is known', () => {
    assertError('Join(" ", [FirstName], [LastNme])', 'TENURE_EXPR_UNKNOWN_ATTRIBUTE', 1, 24, [
      'FirstName',
      'LastName',
    ]);
    assert.deepEqual(
      compileExpression('Join(" ", [B], [A], [B])', { knownAttributes: new Set(['A', 'B']) }).attributes,
      ['B', 'A'],
    );
  });
  it('bare words other than vbTextCompare / vbBinaryCompare', () => {
    assertError('InStr("a", "b", 1, vbNope)', 'TENURE_EXPR_SYNTAX', 1, 20);
    assertError('Append(Guid, "x")', 'TENURE_EXPR_SYNTAX', 1, 8);
  });
  it('SelectUniqueValue must be outermost', () => {
    assertError('ToLower(SelectUniqueValue("a", "b"))', 'TENURE_EXPR_INVALID_ARGUMENT', 1, 9);
    assert.equal(compileExpression('SelectUniqueValue("a", "b")').selectsUnique, true);
  });
  it('literal arguments are checked at load time', () => {
    assertError('DateAdd("dd", 1, Now())', 'TENURE_EXPR_INVALID_ARGUMENT', 1, 9);
    assertError('DateDiff("days", Now(), Now())', 'TENURE_EXPR_INVALID_ARGUMENT', 1, 10);
    assertError('FormatDateTime([d], , "yyyy-MM-dd\'", "yyyy")', 'TENURE_EXPR_INVALID_ARGUMENT', 1, 23);
    assertError('FormatDateTime([d], "yyyy", "x")', 'TENURE_EXPR_INVALID_ARGUMENT', 1, 29);
    assertError('ToLower([a], "not a culture")', 'TENURE_EXPR_INVALID_ARGUMENT', 1, 14);
    assertError('Replace([a], , "(unclosed", , "", , )', 'TENURE_EXPR_INVALID_ARGUMENT', 1, 16);
    assertError('Transliterate([a], "!!")', 'TENURE_EXPR_INVALID_ARGUMENT', 1, 20);
  });
  it('the 10,000-character limit', () => {
    const long = `Join("", ${Array.from({ length: 1200 }, () => '"abcdef"').join(', ')})`;
    assert.equal(compileError(long).code, 'TENURE_EXPR_TOO_LONG');
  });
  it('accepts constants and bare attributes at the top level', () => {
    assert.equal(compileExpression('"Contoso"').ast.kind, 'string');
    assert.equal(compileExpression('[department]').ast.kind, 'attribute');
    assert.equal(compileExpression('  \n Guid()  ').ast.kind, 'call');
  });
});
