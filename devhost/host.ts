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

async function main(): Promise<void> {
  const logger = consoleLogger();
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
        f.handler as (m: unknown, c: unknown) => unknown,
      ),
    ),
    settings: process.env,
    host: serviceBusHostSettings(JSON.parse(readFileSync(join(APP_ROOT, 'host.json'), 'utf8'))),
    log: (level, name, ...args) => logger.functionLog(name, level, args),
  });
  if (serviceBusFunctions.length > 0) await serviceBus.start();
  const stops: (() => Promise<void> | void)[] = [
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
