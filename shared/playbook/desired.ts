/**
 * The desired playbook of one worker at `now`: the flow's playbook for the current phase (termination,
 * retirement, the leave kind), with each step's condition tested against the HR record and its `with:` options
 * evaluated (expressions such as templated auto-reply messages); for an active worker, the flow's reversible steps
 * (undone when the worker returns). Pure: clock and randomness are passed in.
 */
import { TenureError } from '../engine/errors';
import type { DesiredState } from '../engine/desired/model';
import type { JsonValue } from '../engine/plan/model';
import type { StageDecision } from '../engine/stage/stage';
import { evaluateStepArguments, stepApplies } from '../flows/mapping';
import type { Flow, PlaybookStep } from '../flows/model';
import type { DesiredPlaybook } from './model';
import { REVERSIBLE, parseStep, type StepOptions } from './steps';

export interface PlaybookInputs {
  readonly flow: Pick<Flow, 'stages'>;
  /** The validated HR record (field → typed value). */
  readonly record: Readonly<Record<string, unknown>>;
  readonly decision: StageDecision;
  readonly now: Date;
  readonly random: () => number;
}

export interface PlaybookDesire {
  readonly playbook?: DesiredPlaybook;
  /** Entra attributes the playbook sets instead of the flow's mapping (setDisplayName). */
  readonly attributes: Readonly<Record<string, JsonValue>>;
}

/** The step's `with:` values, evaluated by the flow module's own helper; an expression error is TENURE_MAPPING. */
function stepValues(step: PlaybookStep, inputs: PlaybookInputs): Record<string, JsonValue> {
  const { values, errors } = evaluateStepArguments(step, inputs.record, {
    now: inputs.now,
    random: inputs.random,
  });
  if (errors.length > 0) {
    const list = errors.map((e) => `${e.attribute} (${e.code})`).join(', ');
    throw new TenureError('TENURE_MAPPING', `Playbook options could not be evaluated: ${list}.`, {
      target: errors[0]!.attribute,
    });
  }
  return values as Record<string, JsonValue>;
}

function leaverSteps(decision: StageDecision, flow: Pick<Flow, 'stages'>): readonly PlaybookStep[] {
  const { stages } = flow;
  switch (decision.phase) {
    case 'terminated':
      return stages.run.includes('termination') ? stages.termination.playbook : [];
    case 'retired':
      return stages.run.includes('termination') ? stages.retirement.playbook : [];
    case 'leave': {
      const kind = decision.leaveKind as keyof typeof stages.leave | undefined;
      return stages.run.includes('leave') && kind && stages.leave[kind] ? stages.leave[kind].playbook : [];
    }
    default:
      return [];
  }
}

/** Every reversible step any leaver playbook of the flow has (what a returning worker may need undone). */
function reversibleSteps(flow: Pick<Flow, 'stages'>, inputs: PlaybookInputs): StepOptions[] {
  const all = [
    ...flow.stages.termination.playbook,
    ...flow.stages.retirement.playbook,
    ...Object.values(flow.stages.leave).flatMap((l) => l.playbook),
  ];
  const seen = new Map<string, StepOptions>();
  for (const step of all) {
    if (!REVERSIBLE.has(step.step as StepOptions['kind']) || seen.has(step.step)) continue;
    // Options of a reversal are literals in practice (releaseOnReturn); expressions are evaluated all the same.
    seen.set(step.step, parseStep(step.step, stepValues(step, inputs)));
  }
  // A OneDrive share that stays on return has nothing to undo (and costs no reads for an active worker).
  return [...seen.values()].filter((s) => s.kind !== 'shareOneDrive' || s.revokeOnReturn);
}

export function desiredPlaybook(inputs: PlaybookInputs): PlaybookDesire {
  const { decision, flow, record } = inputs;
  if (decision.phase === 'active') {
    const steps = reversibleSteps(flow, inputs);
    return { attributes: {}, ...(steps.length > 0 ? { playbook: { mode: 'return', steps } } : {}) };
  }
  const applicable = leaverSteps(decision, flow).filter((s) => stepApplies(s, record));
  const steps = applicable.map((s) => parseStep(s.step, stepValues(s, inputs)));
  const attributes: Record<string, JsonValue> = {};
  for (const s of steps) if (s.kind === 'setDisplayName') attributes.displayName = s.value;
  const mailboxOrDrive = steps.filter((s) => s.kind !== 'setDisplayName');
  return {
    attributes,
    ...(mailboxOrDrive.length > 0 ? { playbook: { mode: 'leaver', steps: mailboxOrDrive } } : {}),
  };
}

/** The engine's desired state with the playbook joined: its steps, and its attribute overrides. */
export function withPlaybook(desired: DesiredState, desire: PlaybookDesire): DesiredState {
  return {
    ...desired,
    attributes: { ...desired.attributes, ...desire.attributes },
    ...(desire.playbook ? { playbook: desire.playbook } : {}),
  };
}
