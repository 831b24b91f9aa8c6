// `npm test`: starts what the tests need (Azurite and the local Microsoft cloud emulator, on free ports), then
// runs every compiled test file with node:test, with NODE_EXTRA_CA_CERTS set at process start so the official
// SDKs trust the emulator. Extra arguments narrow the run: `npm test -- dist/test/engine`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { APP_ROOT } from '../../devhost/loadApp';
import { startLocalStack } from '../../devhost/localStack';

function testFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  if (statSync(root).isFile()) return root.endsWith('.test.js') ? [root] : [];
  return readdirSync(root)
    .sort()
    .flatMap((name) => testFiles(join(root, name)));
}

async function main(): Promise<void> {
  const roots = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const passThrough = process.argv.slice(2).filter((a) => a.startsWith('--'));
  const files = (roots.length > 0 ? roots.map((r) => resolve(r)) : [join(APP_ROOT, 'dist', 'test')]).flatMap(
    testFiles,
  );
  if (files.length === 0) throw new Error('no test files found (did the build run?)');
  const stack = await startLocalStack();
  const env = {
    ...process.env,
    ...stack.appSettings,
    TENURE_TEST_STACK: JSON.stringify({
      emulator: stack.emulator,
      tableEndpoint: stack.tableEndpoint,
      appSettings: stack.appSettings,
    }),
  };
  const concurrency = process.env.TENURE_TEST_CONCURRENCY ?? '4';
  const child = spawn(
    process.execPath,
    [
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-timeout=300000',
      ...passThrough,
      ...files.map((f) => relative(APP_ROOT, f)),
    ],
    { cwd: APP_ROOT, env, stdio: 'inherit' },
  );
  const stop = (): void => {
    child.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await new Promise<number>((resolve) =>
    child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
  );
  await stack.stop();
  process.exit(code);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `test harness failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
