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
  /** The hr-events queue of this dev host: its own, so tests sharing the emulator never take each other's messages. */
  queue: string;
  child: Child;
  stop(): Promise<void>;
}

/** Starts the dev host's worker process (the real compiled app) against the given app settings. */
export async function startDevhost(
  appSettings: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<RunningDevhost> {
  const queue = extraEnv.TENURE_HR_QUEUE ?? (await createTestQueue(appSettings.TENURE_EMULATOR_ADMIN!));
  // A free port is only free until someone takes it (another test's outgoing connection can): try a fresh one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevhostOnce(appSettings, extraEnv, queue, await freePort());
    } catch (error) {
      if (attempt >= 3 || !String((error as Error).message).includes('EADDRINUSE')) throw error;
    }
  }
}

async function startDevhostOnce(
  appSettings: Record<string, string>,
  extraEnv: Record<string, string>,
  queue: string,
  port: number,
): Promise<RunningDevhost> {
  const functionKey = randomBytes(18).toString('base64url');
  const child = spawnChild('dev host', process.execPath, [join(APP_ROOT, 'dist', 'devhost', 'host.js')], {
    cwd: APP_ROOT,
    env: {
      ...process.env,
      ...appSettings,
      TENURE_PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      ...extraEnv,
      TENURE_HR_QUEUE: queue,
      TENURE_DEVHOST_PORT: String(port),
      TENURE_DEVHOST_FUNCTION_KEY: functionKey,
    },
  });
  try {
    const ready = await waitForJsonLine<{ url: string }>(child, 'devhost-ready', 20_000);
    return { url: ready.url, functionKey, queue, child, stop: () => child.stop() };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** A queue like hr-events (sessions, duplicate detection, 10 deliveries), with a unique name, in the emulator. */
export async function createTestQueue(admin: string): Promise<string> {
  const name = `hr-events-${randomBytes(5).toString('hex')}`;
  const res = await fetch(`${admin}/servicebus/queues`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      requiresSession: true,
      maxDeliveryCount: 10,
      lockDuration: 'PT1M',
      requiresDuplicateDetection: true,
      duplicateDetectionWindow: 'PT10M',
      deadLetteringOnMessageExpiration: true,
    }),
  });
  if (res.status !== 201) throw new Error(`creating queue ${name} failed: ${res.status} ${await res.text()}`);
  return name;
}
