// `npm run emulator -- [--seed file] [--state-dir dir] [--host 127.0.0.1] [--port-base N]`
// Starts the local Microsoft cloud and prints one JSON line when ready (every endpoint, the CA path, the demo
// tenant, app and queues). Stops on SIGINT/SIGTERM.
import { resolve } from 'node:path';
import { startEmulator } from './emulator';

interface Args {
  seed?: string;
  stateDir?: string;
  host?: string;
  portBase?: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = (): string => {
      if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    if (flag === '--seed') args.seed = resolve(need());
    else if (flag === '--state-dir') args.stateDir = resolve(need());
    else if (flag === '--host') args.host = need();
    else if (flag === '--port-base') args.portBase = Number(need());
    else throw new Error(`unknown option ${flag} (known: --seed, --state-dir, --host, --port-base)`);
  }
  return args;
}

async function main(): Promise<void> {
  const emulator = await startEmulator(parseArgs(process.argv.slice(2)));
  process.stdout.write(JSON.stringify(emulator.readyLine) + '\n');
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
