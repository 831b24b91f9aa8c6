/** Playbook steps: conditions and `with:` options (literals and expressions). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../shared/expressions/evaluate';
import { parseFlow } from '../../shared/flows/loader';
import { evaluateStepArguments, stepApplies } from '../../shared/flows/mapping';
import { BASE } from './fixtures';

const flow = parseFlow(`${BASE}stages:
  termination:
    playbook:
      - step: setAutoReply
        with:
          message: { expr: 'Join(" ", [First], [Last], "has left")' }
          external: false
          days: 30
          recipients: [a@x.com, b@x.com]
          optional: { expr: 'IgnoreFlowIfNullOrEmpty([Tags])' }
      - step: transferOneDrive
        when: { attribute: Level, operator: GREATER_THAN, value: '4' }
`);
const clock = { now: new Date('2025-01-01T00:00:00Z'), random: seededRandom(1) };

describe('playbook steps', () => {
  it('keeps step kinds open and resolves options', () => {
    const [reply, transfer] = flow.stages.termination.playbook;
    assert.equal(reply.step, 'setAutoReply');
    assert.deepEqual(evaluateStepArguments(reply, { First: 'Ann', Last: 'Lee' }, clock), {
      values: {
        message: 'Ann Lee has left',
        external: false,
        days: 30,
        recipients: ['a@x.com', 'b@x.com'],
        optional: null,
      },
      errors: [],
    });
    assert.equal(stepApplies(reply, {}), true);
    assert.equal(stepApplies(transfer, { Level: 5 }), true);
    assert.equal(stepApplies(transfer, { Level: 4 }), false);
  });
  it('retirement inherits termination unless set; leave kinds inherit leave.default', () => {
    assert.deepEqual(flow.stages.retirement, flow.stages.termination);
    const withLeave = parseFlow(
      `${BASE}stages:\n  leave:\n    default: { disable: false }\n    security: { removeGroups: true }\n`,
    );
    assert.equal(withLeave.stages.leave.fmla.disable, false);
    assert.equal(withLeave.stages.leave.security.disable, false);
    assert.equal(withLeave.stages.leave.security.removeGroups, true);
  });
});
