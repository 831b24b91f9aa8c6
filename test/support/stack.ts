// What the test harness started for this run (emulator, Azurite, app settings), and a dev host of a test's own.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, spawnChild, waitForJsonLine, type Child } from '../../devhost/children';
import { APP_ROOT } from '../../devhost/loadApp';
import type { EmulatorReadyLine } from '../../devhost/localStack';

export interface TestStack {
  emulator: EmulatorReadyLine;
  tableEndpoint: string;
  appSettings: Record<string, string>;
}

/** The stack `npm test` started; throws with a clear message when the test runs outside the harness. */
export function testStack(): TestStack {
  const raw = process.env.TENURE_TEST_STACK;
  if (!raw)
    throw new Error(
      'TENURE_TEST_STACK is not set: run tests with `npm test` (test/harness/run.ts starts the stack)',
    );
  return JSON.parse(raw) as TestStack;
}

export interface RunningDevhost {
  url: string;
  functionKey: string;
  child: Child;
  stop(): Promise<void>;
}

/** Starts the dev host's worker process (the real compiled app) against the given app settings. */
export async function startDevhost(
  appSettings: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<RunningDevhost> {
  const port = await freePort();
  const functionKey = randomBytes(18).toString('base64url');
  const child = spawnChild('dev host', process.execPath, [join(APP_ROOT, 'dist', 'devhost', 'host.js')], {
    cwd: APP_ROOT,
    env: {
      ...process.env,
      ...appSettings,
      TENURE_PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      ...extraEnv,
      TENURE_DEVHOST_PORT: String(port),
      TENURE_DEVHOST_FUNCTION_KEY: functionKey,
    },
  });
  const ready = await waitForJsonLine<{ url: string }>(child, 'devhost-ready', 20_000);
  return { url: ready.url, functionKey, child, stop: () => child.stop() };
}
