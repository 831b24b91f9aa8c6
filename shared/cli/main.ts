/** `tenure` command line: expr, validate, test. Run through bin/tenure.js (`npx tenure …`). */
import { exprCommand } from './commands/expr';
import { testCommand } from './commands/test';
import { validateCommand } from './commands/validate';
import { processIo, UsageError, type CliIo } from './io';

const USAGE = [
  'usage:',
  "  tenure expr '<expression>' [--record '<json>'] [--now <ISO time>] [--taken a,b,…] [--seed <n>] [--json]",
  '  tenure validate <flow.yaml>',
  '  tenure test <flow.yaml>',
];

/** Runs one command and returns its exit code (0 ok, 1 failure or error). */
export function runCli(argv: readonly string[], io: CliIo = processIo): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'expr':
        return exprCommand(rest, io);
      case 'validate':
        return validateCommand(rest, io);
      case 'test':
        return testCommand(rest, io);
      case 'help':
      case '--help':
      case '-h':
        USAGE.forEach((l) => io.out(l));
        return 0;
      default:
        throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`error: ${err.message}`);
    USAGE.forEach((l) => io.err(l));
    return 1;
  }
}

/** Entry point used by bin/tenure.js. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  process.exitCode = runCli(argv);
}

if (require.main === module) main();
