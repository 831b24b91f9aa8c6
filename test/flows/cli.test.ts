/** The `tenure` CLI, run as users run it: `node bin/tenure.js …` after the build. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BASE } from './fixtures';

const ROOT = join(__dirname, '..', '..', '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; the cases run concurrently, since each is a separate Node process. */
function tenure(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'tenure.js'), ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('tenure CLI', { concurrency: 8 }, () => {
  it('acceptance: expr prints zoe.smith', async () => {
    const r = await tenure(
      'expr',
      'Join(".", ToLower(NormalizeDiacritics([givenName])), ToLower([surname]))',
      '--record',
      '{"givenName":"Zoë","surname":"Smith"}',
    );
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'zoe.smith\n');
  });
  it('expr --json: value, skip and error', async () => {
    assert.deepEqual(
      JSON.parse((await tenure('expr', 'Split([a], ",")', '--record', '{"a":"x,y"}', '--json')).stdout),
      { value: ['x', 'y'] },
    );
    assert.deepEqual(JSON.parse((await tenure('expr', 'IgnoreFlowIfNullOrEmpty([a])', '--json')).stdout), {
      skip: true,
    });
    const err = await tenure('expr', 'Left([a])', '--json');
    assert.equal(err.code, 1);
    assert.match(JSON.parse(err.stdout).error, /Left takes 2 argument/);
  });
  it('expr --now freezes the clock', async () => {
    const r = await tenure(
      'expr',
      'DateDiff("d", Now(), CDate([d]))',
      '--record',
      '{"d":"2025-02-01"}',
      '--now',
      '2025-01-01T00:00:00Z',
    );
    assert.equal(r.stdout, '31\n');
  });
  it('expr --taken drives SelectUniqueValue', async () => {
    const expr = 'SelectUniqueValue(Join("@", [a], "x.com"), Join("@", Join(".", [a], "2"), "x.com"))';
    assert.equal((await tenure('expr', expr, '--record', '{"a":"zoe"}')).stdout, 'zoe@x.com\n');
    assert.equal(
      (await tenure('expr', expr, '--record', '{"a":"zoe"}', '--taken', 'zoe@x.com')).stdout,
      'zoe.2@x.com\n',
    );
    const all = await tenure(
      'expr',
      expr,
      '--record',
      '{"a":"zoe"}',
      '--taken',
      'zoe@x.com,zoe.2@x.com',
      '--json',
    );
    assert.equal(all.code, 1);
    assert.match(JSON.parse(all.stdout).error, /every candidate is already taken/);
  });
  it('expr --seed makes randomness reproducible', async () => {
    const a = (await tenure('expr', 'RandomString(12,2,2,2,2)', '--seed', '5')).stdout;
    assert.equal((await tenure('expr', 'RandomString(12,2,2,2,2)', '--seed', '5')).stdout, a);
    assert.equal(a.trim().length, 12);
  });
  it('expr errors: plain output goes to stderr with the position; bad flags are usage errors', async () => {
    const r = await tenure('expr', 'Join(".", Frob([a]))');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /unknown function Frob \(at 1:11\)/);
    assert.equal((await tenure('expr', 'Now()', '--record', '{not json')).code, 1);
    assert.equal((await tenure('expr', 'Now()', '--now', 'soon')).code, 1);
    assert.match((await tenure('expr', 'Now()', '--bogus')).stderr, /unknown option --bogus/);
    assert.equal((await tenure('frobnicate')).code, 1);
    assert.equal((await tenure()).code, 1);
  });
  it('validate and test pass on the example flows', async () => {
    for (const f of ['flows/workday.yaml', 'flows/csv-sample.yaml']) {
      const v = await tenure('validate', f);
      assert.equal(v.code, 0, v.stderr);
      assert.match(v.stdout, /^ok: /);
      const t = await tenure('test', f);
      assert.equal(t.code, 0, t.stdout);
      assert.match(t.stdout, / 0 failed\n$/);
    }
  });
  it('a broken flow fails with file:line:col', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenure-cli-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, BASE.replace('[Last])', '[Lats])'));
    const v = await tenure('validate', file);
    assert.equal(v.code, 1);
    assert.match(
      v.stderr,
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:21:36: attributes.displayName: TENURE_EXPR_UNKNOWN_ATTRIBUTE`,
      ),
    );
    assert.equal((await tenure('test', file)).code, 1);
    assert.equal((await tenure('validate', join(dir, 'missing.yaml'))).code, 1);
  });
  it('test fails when an example fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenure-cli-'));
    const file = join(dir, 'failing.yaml');
    writeFileSync(
      file,
      `${BASE}examples:\n  - name: wrong name\n    record: { Id: '1', Status: Active, First: Ann, Last: Lee }\n    expect:\n      attributes: { displayName: Bob Lee }\n`,
    );
    const t = await tenure('test', file);
    assert.equal(t.code, 1);
    assert.match(t.stdout, /FAIL wrong name\n {5}displayName: expected "Bob Lee", got "Ann Lee"/);
    assert.match(t.stdout, /0 passed, 1 failed/);
  });
});
