/** `tenure test <flow.yaml>`: runs the flow's examples; exit 1 when any fails (or the flow is invalid). */
import { runExamples } from '../../flows/examples';
import type { CliIo } from '../io';
import { loadOrReport } from './validate';

export function testCommand(argv: readonly string[], io: CliIo): number {
  const flow = loadOrReport(argv, io, 'test');
  if (!flow) return 1;
  if (flow.examples.length === 0) {
    io.out(`${argv[0]}: no examples to run (add an examples: section)`);
    return 0;
  }
  const results = runExamples(flow);
  for (const r of results) {
    io.out(`${r.ok ? 'pass' : 'FAIL'} ${r.name}`);
    for (const f of r.failures) io.out(`     ${f}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  io.out(`${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
