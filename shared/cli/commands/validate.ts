/** `tenure validate <flow.yaml>`: loads a flow; prints a summary, or every issue as file:line:col. */
import { FlowLoadError, formatIssue } from '../../flows/errors';
import { loadFlow } from '../../flows/loader';
import type { Flow } from '../../flows/model';
import { UsageError, type CliIo } from '../io';

/** Loads the flow named by the single positional argument, printing issues; undefined when it is invalid. */
export function loadOrReport(argv: readonly string[], io: CliIo, command: string): Flow | undefined {
  if (argv.length !== 1 || argv[0].startsWith('--'))
    throw new UsageError(`${command} takes exactly one flow file`);
  try {
    return loadFlow(argv[0]);
  } catch (err) {
    if (!(err instanceof FlowLoadError)) throw err;
    for (const issue of err.issues) io.err(formatIssue(issue));
    io.err(`${argv[0]}: ${err.issues.length} problem(s) (${err.code})`);
    return undefined;
  }
}

export function validateCommand(argv: readonly string[], io: CliIo): number {
  const flow = loadOrReport(argv, io, 'validate');
  if (!flow) return 1;
  const attrs = Object.keys(flow.attributes).length;
  io.out(
    `ok: ${argv[0]} (flow "${flow.name}", connection "${flow.connection}", ${flow.hr.fields.length} HR fields, ${attrs} attributes, ${flow.examples.length} examples)`,
  );
  return 0;
}
