// Child process of the crash test: runs the reconcile loop over a batch of worker snapshots (four sessions at a
// time, like the host's maxConcurrentSessions), against the stack named in CRASH_CONFIG. The parent kills it with
// SIGKILL at random moments and starts it again; messages are redelivered from the start (at-least-once).
import { handleWorkerMessage } from '../../shared/engine/handler';
import type { WorkerMessage } from '../../shared/messaging/message';
import { engineForStack, EmulatorClock, SessionQueue } from './scenarioWorld';

interface CrashConfig {
  settings: Record<string, string>;
  demo: { tenantId: string; clientId: string; clientSecret: string };
  flowYaml: string;
  adminRoot: string;
  messages: WorkerMessage[];
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.CRASH_CONFIG ?? '{}') as CrashConfig;
  const clock = new EmulatorClock(config.adminRoot);
  await clock.sync();
  const queue = new SessionQueue();
  const { deps } = await engineForStack(config.settings, config.demo, config.flowYaml, clock, queue);
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  let next = 0;
  let run = 0;
  const lane = async () => {
    while (next < config.messages.length) {
      const message = config.messages[next++];
      process.stdout.write(JSON.stringify({ event: 'start', employeeId: message.employeeId }) + '\n');
      let out = await handleWorkerMessage(deps, message, `crash-${process.pid}-${++run}`, silent);
      // A delayed retry is the broker's job; here it is delivered at once.
      for (let i = 0; out.status === 'retryScheduled' && i < 8; i++) {
        out = await handleWorkerMessage(
          deps,
          { ...message, attempt: i + 1 },
          `crash-${process.pid}-${++run}`,
          silent,
        );
      }
      process.stdout.write(
        JSON.stringify({ event: 'done', employeeId: message.employeeId, status: out.status }) + '\n',
      );
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  // Follow-up messages (re-drives) produced by the batch.
  for (const m of queue.take()) await handleWorkerMessage(deps, m, `crash-${process.pid}-${++run}`, silent);
  process.stdout.write(JSON.stringify({ event: 'finished' }) + '\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`crash worker failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
