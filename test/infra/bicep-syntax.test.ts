/**
 * The Bicep reader the infra checks rely on: strings, interpolation, comments, loops, conditions and the errors
 * it reports. A reader that silently skipped text would let a broken template pass, so these pin its behaviour.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Evaluator, Unknown, declBody, loadProject, prop } from './bicep-model';
import { BicepSyntaxError, parseBicep, parseExpression, tokenize } from './bicep-syntax';

function evalIn(source: string, expr: string): unknown {
  const project = loadProject(new Map([['infra/x.bicep', source]]));
  assert.deepEqual(project.failures, []);
  const m = project.modules.get('infra/x.bicep')!;
  return new Evaluator(project, m).eval(parseExpression(expr));
}

describe('bicep tokenizer', () => {
  it('reads escapes and keeps interpolations as tokens', () => {
    const [t] = tokenize("'it\\'s ${toLower('A}B')} \\${not} \\u{41}'");
    assert.equal(t.kind, 'string');
    assert.equal(t.parts?.length, 3);
    assert.equal(t.parts?.[0], "it's ");
    assert.equal(t.parts?.[2], ' ${not} A');
    const inner = t.parts?.[1];
    assert.ok(Array.isArray(inner));
    assert.deepEqual(
      inner.filter((x) => x.kind !== 'eof').map((x) => x.value),
      ['toLower', '(', 'A}B', ')'],
    );
  });

  it('skips comments, including quotes and braces inside them', () => {
    const kinds = tokenize("var a = 1 // it's { not code\n/* 'x' } */ var b = 2").map((t) => t.kind);
    assert.deepEqual(kinds, [
      'ident',
      'ident',
      'punct',
      'number',
      'newline',
      'ident',
      'ident',
      'punct',
      'number',
      'eof',
    ]);
  });

  it('reads multi-line strings verbatim', () => {
    const [t] = tokenize("'''\nline 'one'\n${not interpolated}\n'''");
    assert.equal(t.value, "line 'one'\n${not interpolated}\n");
  });

  it('reports an unterminated string with its line', () => {
    assert.throws(
      () => tokenize("var a = 1\nvar b = 'open\n"),
      (e: unknown) => e instanceof BicepSyntaxError && e.line === 2 && e.code === 'INFRA_PARSE',
    );
  });
});

describe('bicep parser', () => {
  it('reads decorators, params, resources with existing, if and for bodies', () => {
    const file = parseBicep(
      [
        "@description('x')",
        '@allowed([',
        "  'a'",
        "  'b'",
        '])',
        "param p string = 'a'",
        "resource s 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {",
        '  name: p',
        '}',
        "resource c 'Microsoft.Web/sites/config@2024-04-01' = if (p == 'a') {",
        "  name: 'appsettings'",
        '}',
        "resource t 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for (n, i) in ['A', 'B']: if (i > 0) {",
        '  name: n',
        '}]',
      ].join('\n'),
    );
    const [param, existing, conditional, loop] = file.statements;
    assert.equal(param.kind, 'param');
    assert.deepEqual(
      param.decorators.map((d) => d.name),
      ['description', 'allowed'],
    );
    assert.ok(existing.kind === 'resource' && existing.existing);
    assert.ok(conditional.kind === 'resource' && declBody(conditional.body).condition?.text === "p == 'a'");
    assert.ok(loop.kind === 'resource');
    const body = declBody(loop.body);
    assert.equal(body.loop?.itemName, 'n');
    assert.equal(body.loop?.indexName, 'i');
    assert.equal(body.condition?.text, 'i > 0');
    assert.equal(prop(body.object, 'name')?.text, 'n');
  });

  it('treats newlines as separators in objects and arrays but not inside calls', () => {
    const e = parseExpression("union({\n  a: 1\n  'b-c': [\n    1\n    2\n  ]\n}, {\n  d: x ? 'y' : 'z'\n})");
    assert.equal(e.kind, 'call');
    if (e.kind !== 'call') return;
    assert.equal(e.args.length, 2);
    const first = e.args[0];
    assert.ok(first.kind === 'object');
    assert.deepEqual(
      first.props.map((p) => p.key),
      ['a', 'b-c'],
    );
  });

  it('refuses two properties on one line without a comma', () => {
    assert.throws(() => parseBicep('var o = {\n  a: 1 b: 2\n}'), BicepSyntaxError);
  });

  it('refuses an unknown declaration keyword', () => {
    assert.throws(
      () => parseBicep('var a = 1\nresouce b 2'),
      (e: unknown) => e instanceof BicepSyntaxError && e.line === 2,
    );
  });

  it('reads member access, safe access, indexing and non-null assertions', () => {
    const e = parseExpression("split(a.?b!.c, ':')[0]");
    assert.equal(e.kind, 'index');
  });
});

describe('bicep evaluator', () => {
  it('resolves vars, interpolation, union and ternaries over known values', () => {
    const src = "var a = 'x'\nvar b = '${a}-y'\nvar c = union({ k: 1 }, { l: b })\nvar d = true ? c : {}";
    assert.deepEqual(evalIn(src, 'd'), { k: 1, l: 'x-y' });
    assert.equal(evalIn(src, "d.L == 'x-y'"), true);
  });

  it('leaves parameters and resource properties unknown', () => {
    const v = evalIn("param p string = 'a'\nvar v = '${p}-b'", 'v');
    assert.ok(v instanceof Unknown);
  });
});
