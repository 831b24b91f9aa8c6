// Explain-only operations of the playbook (never write): why a step did nothing, why a licence stays.
import { makeOp } from '../../engine/ops/build';
import type { Target } from '../../engine/plan/model';

export function planNote(target: Target, id: string, note: string) {
  return makeOp('noop', { id: `noop:${id}`, target, reason: 'playbook', params: { note } });
}
