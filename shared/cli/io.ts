/** Output sinks of the CLI, injectable so tests can capture what a command prints. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** A usage problem (bad flag, missing argument); printed with the usage text, exit code 1. */
export class UsageError extends Error {
  readonly code = 'TENURE_CLI_USAGE';
}
