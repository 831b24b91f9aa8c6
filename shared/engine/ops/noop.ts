// noop: explains why nothing happens (e.g. before the pre-hire window); never writes.
import type { OpModule } from '../apply/context';
import type { Reason, Target } from '../plan/model';
import { makeOp } from './build';

export function planNoop(target: Target, reason: Reason, note: string) {
  return makeOp('noop', { target, reason, params: { note } });
}

export const noop: OpModule<'noop'> = {
  kind: 'noop',
  async apply() {
    return { status: 'skipped' };
  },
};
