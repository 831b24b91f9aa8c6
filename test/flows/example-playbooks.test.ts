// The example flows' playbook steps must be steps the leaver playbook runs, with options it accepts, for every
// example record: a flow that passes `tenure validate` must not fail its workers with TENURE_MAPPING later.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFlow } from '../../shared/flows/loader';
import { evaluateStepArguments } from '../../shared/flows/mapping';
import type { Flow, PlaybookStep } from '../../shared/flows/model';
import { isStepKind, parseStep } from '../../shared/playbook/steps';
import { APP_ROOT } from '../../devhost/loadApp';

function stepsOf(flow: Flow): { where: string; step: PlaybookStep }[] {
  const out = flow.stages.termination.playbook.map((step) => ({ where: 'termination', step }));
  for (const [kind, options] of Object.entries(flow.stages.leave ?? {})) {
    for (const step of options?.playbook ?? []) out.push({ where: `leave.${kind}`, step });
  }
  for (const step of flow.stages.retirement?.playbook ?? []) out.push({ where: 'retirement', step });
  return out;
}

const dir = join(APP_ROOT, 'flows');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
  test(`${file}: every playbook step is a known step with valid options`, () => {
    const flow = loadFlow(join(dir, file));
    const steps = stepsOf(flow);
    assert.ok(flow.examples.length > 0, 'the flow has examples to evaluate the options with');
    for (const { where, step } of steps) {
      assert.ok(isStepKind(step.step), `${where}: unknown step ${step.step}`);
      for (const example of flow.examples) {
        const { values, errors } = evaluateStepArguments(step, example.record, {
          now: new Date('2026-01-01T00:00:00Z'),
          random: () => 0.5,
        });
        assert.deepEqual(errors, [], `${where}.${step.step} with example "${example.name}"`);
        assert.doesNotThrow(
          () => parseStep(step.step, values as Parameters<typeof parseStep>[1]),
          `${where}.${step.step} options`,
        );
      }
    }
  });
}
