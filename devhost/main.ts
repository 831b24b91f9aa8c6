// `npm start`: runs Tenure locally. Starts Azurite and the local Microsoft cloud emulator, then the function app
// in a worker process with settings pointing at them, prints one banner with every URL, and stops everything on
// Ctrl-C or SIGTERM. `npm start -- --settings local.settings.json` runs the app against the Azure resources named
// there instead (no emulator, no Azurite).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnChild, waitForJsonLine, type Child } from './children';
import { APP_ROOT } from './loadApp';
import { startLocalStack, type LocalStack } from './localStack';

interface DevhostReady {
  event: 'devhost-ready';
  url: string;
  functionKey: string;
  functions: { name: string; trigger: string }[];
}

interface Options {
  port: number;
  settingsFile?: string;
  quiet: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { port: Number(process.env.TENURE_DEVHOST_PORT ?? 7071), quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') options.port = Number(argv[++i]);
    else if (a === '--settings') options.settingsFile = resolve(argv[++i] ?? '');
    else if (a === '--quiet') options.quiet = true;
    else throw new Error(`unknown option ${a} (known: --port N, --settings local.settings.json, --quiet)`);
  }
  if (!Number.isInteger(options.port) || options.port < 0) throw new Error('--port needs a port number');
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const echo = options.quiet ? undefined : (line: string) => process.stdout.write(line + '\n');
  let stack: LocalStack | undefined;
  let settings: Record<string, string>;
  if (options.settingsFile) {
    const file = JSON.parse(readFileSync(options.settingsFile, 'utf8')) as {
      Values?: Record<string, string>;
    };
    settings = file.Values ?? {};
  } else {
    stack = await startLocalStack({ publicBaseUrl: `http://127.0.0.1:${options.port}`, echo });
    settings = stack.appSettings;
  }
  const children: Child[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(children.map((c) => c.stop()));
    await stack?.stop();
  };
  let stopping = false;
  const shutdown = (code: number): void => {
    if (stopping) return;
    stopping = true;
    void stopAll().then(() => process.exit(code));
  };
  process.once('SIGINT', () => shutdown(0));
  process.once('SIGTERM', () => shutdown(0));

  const host = spawnChild('function host', process.execPath, [join(APP_ROOT, 'dist', 'devhost', 'host.js')], {
    cwd: APP_ROOT,
    env: { ...process.env, ...settings, TENURE_DEVHOST_PORT: String(options.port) },
  });
  children.push(host);
  host.process.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
  let ready: DevhostReady;
  try {
    ready = await waitForJsonLine<DevhostReady>(host, 'devhost-ready', 20_000, echo);
  } catch (error) {
    await stopAll();
    throw error;
  }
  host.process.once('exit', (code) => shutdown(code ?? 1));
  printBanner(ready, stack, Date.now() - started);
  writeReadyFile(ready, stack);
}

/** Where `npm run demo` and other local tools find the running app: .tenure/devhost.json (removed on stop). */
const READY_FILE = join(APP_ROOT, '.tenure', 'devhost.json');

function writeReadyFile(ready: DevhostReady, stack: LocalStack | undefined): void {
  mkdirSync(join(APP_ROOT, '.tenure'), { recursive: true });
  const info = {
    url: ready.url,
    functionKey: ready.functionKey,
    pid: process.pid,
    emulator: stack?.emulator,
    tableEndpoint: stack?.tableEndpoint,
  };
  writeFileSync(READY_FILE, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  process.once('exit', () => rmSync(READY_FILE, { force: true }));
}

function printBanner(ready: DevhostReady, stack: LocalStack | undefined, ms: number): void {
  const lines = [
    '',
    `Tenure is running (ready in ${(ms / 1000).toFixed(1)} s)`,
    `  Function app     ${ready.url}/api/...   (function key: ${ready.functionKey})`,
    `  Health           ${ready.url}/api/health`,
    ...ready.functions.map((f) => `    ${f.trigger.padEnd(18)} ${f.name}`),
  ];
  if (stack) {
    const e = stack.emulator;
    lines.push(
      '  Local Microsoft cloud (emulator)',
      `    Sign-in        ${e.login}`,
      `    Graph          ${e.graph}`,
      `    Exchange       ${e.exchange}`,
      `    Key Vault      ${e.keyVault}`,
      `    Service Bus    ${e.serviceBus.connectionString}`,
      `    Admin          ${e.admin}`,
      `    CA certificate ${e.caPath}  (NODE_EXTRA_CA_CERTS for your own clients)`,
      `  Azurite Tables   ${stack.tableEndpoint}`,
    );
    if (e.demo)
      lines.push(
        `  Demo tenant      ${e.demo.tenantId}  admin ${e.demo.admin ?? ''} / ${e.demo.adminPassword ?? ''}`,
      );
  }
  lines.push('Press Ctrl-C to stop.', '');
  process.stdout.write(lines.join('\n') + '\n');
  process.stdout.write(
    JSON.stringify({
      event: 'tenure-ready',
      url: ready.url,
      functionKey: ready.functionKey,
      emulator: stack?.emulator,
      tableEndpoint: stack?.tableEndpoint,
      azuritePid: stack?.azurite.process.pid,
    }) + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
