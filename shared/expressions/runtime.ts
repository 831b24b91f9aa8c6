/** The contract between the evaluator and function implementations. */
import type { ExprNode } from './ast';
import type { Value } from './values';

/** Lazy access to a call's arguments: an argument is evaluated only when a function asks for it. */
export interface Args {
  readonly count: number;
  /** False for an omitted argument (`Fn(a, , c)`) or one past the end. */
  provided(index: number): boolean;
  /** The argument's value; omitted arguments are null. */
  value(index: number): Value;
  node(index: number): ExprNode | undefined;
}

export interface Runtime {
  /** Frozen clock, epoch milliseconds. */
  readonly nowMs: number;
  /** Uniform random number in [0, 1). */
  random(): number;
  /** Whether a value is already used in the directory (SelectUniqueValue); undefined: nothing is known. */
  readonly taken?: (value: string) => boolean;
  markRedacted(): void;
  recordCandidates(candidates: readonly string[]): void;
}

export type FunctionImpl = (args: Args, rt: Runtime) => Value;

/** Thrown by IgnoreFlowIfNullOrEmpty: the attribute is dropped from the flow. */
export class SkipAttribute {
  readonly skip = true;
}
