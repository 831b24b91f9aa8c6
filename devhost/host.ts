// The dev host's worker process: loads the compiled function app through the stand-in functions-core, serves its
// HTTP functions, runs its timers and feeds its Service Bus triggers. Started by main.ts with the settings of the
// local cloud (or of local.settings.json), it prints one JSON line when ready.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpHost } from './httpServer';
import { applySettings } from './bindingExpressions';
import { APP_ROOT, loadApp } from './loadApp';
import { ServiceBusTriggerRunner, serviceBusHostSettings, serviceBusTriggerFromBinding } from './serviceBus';
import { consoleLogger } from './logger';
import { startTimers } from './timers';
import { followEmulatorClock } from './emulatorTime';

async function main(): Promise<void> {
  const logger = consoleLogger();
  // Opt-in local time travel (see emulatorTime.ts): installed before the app loads any SDK.
  const admin = process.env.TENURE_EMULATOR_ADMIN;
  const emulatorTime =
    process.env.TENURE_DEVHOST_EMULATOR_CLOCK === '1' && admin ? await followEmulatorClock(admin) : undefined;
  const loaded = applySettings(loadApp(), process.env);
  const functionKey = process.env.TENURE_DEVHOST_FUNCTION_KEY || randomBytes(24).toString('base64url');
  const http = await startHttpHost(loaded, {
    host: process.env.TENURE_DEVHOST_HOST ?? '127.0.0.1',
    port: Number(process.env.TENURE_DEVHOST_PORT ?? 7071),
    functionKey,
    logger,
  });
  const timers = startTimers(loaded, logger);
  const serviceBusFunctions = loaded.functions.filter((f) => loaded.trigger(f).type === 'serviceBusTrigger');
  const serviceBus = new ServiceBusTriggerRunner({
    registrations: serviceBusFunctions.map((f) =>
      serviceBusTriggerFromBinding(
        f.name,
        loaded.trigger(f),
        emulatorTime
          ? async (m: unknown, c: unknown) => {
              // Scheduled messages are released by the emulator clock: handle them at that time.
              await emulatorTime.sync().catch(() => undefined);
              return (f.handler as (m: unknown, c: unknown) => unknown)(m, c);
            }
          : (f.handler as (m: unknown, c: unknown) => unknown),
      ),
    ),
    settings: process.env,
    host: serviceBusHostSettings(JSON.parse(readFileSync(join(APP_ROOT, 'host.json'), 'utf8'))),
    log: (level, name, ...args) => logger.functionLog(name, level, args),
  });
  if (serviceBusFunctions.length > 0) await serviceBus.start();
  const stops: (() => Promise<void> | void)[] = [
    () => emulatorTime?.stop(),
    () => timers.stop(),
    () => serviceBus.stop(),
    () => http.close(),
  ];
  process.stdout.write(
    JSON.stringify({
      event: 'devhost-ready',
      url: http.url,
      functionKey,
      functions: loaded.functions.map((f) => ({ name: f.name, trigger: loaded.trigger(f).type })),
    }) + '\n',
  );
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `dev host failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
