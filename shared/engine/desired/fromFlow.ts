/**
 * Flow + raw HR record → desired state and planning policy (pure given `now`). Uses the flow module's own parser
 * and evaluators (never a second flow parser). Expression randomness is seeded per worker so re-evaluating the
 * same snapshot gives the same values (no churn from RandomString).
 */
import { createHash } from 'node:crypto';
import {
  evaluateAttributes,
  evaluateEntitlements,
  managedEntitlements,
  namingCandidates,
  parseHrRecord,
  resolveStage,
  UnmappedStatusError,
  workerTimeZone,
  type Flow,
  type HrRecord,
} from '../../flows/index';
import { TenureError } from '../errors';
import type { JsonValue } from '../plan/model';
import type { LeaverActions, PlanPolicy } from '../planner/policy';
import { hashOf } from '../planner/plan';
import { computeStage, type LifecyclePhase } from '../stage/stage';
import type { DesiredState } from './model';
import { desiredPlaybook, withPlaybook } from '../../playbook/desired';

export interface DesiredInputs {
  readonly flow: Flow;
  readonly raw: Readonly<Record<string, unknown>>;
  readonly version: string;
  readonly now: Date;
  readonly previousPhase?: LifecyclePhase;
  readonly terminatedSince?: string;
}

/** A deterministic random source seeded from the worker (mulberry32). */
export function seededRandom(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function actions(o: {
  disable: boolean;
  revokeSessions: boolean;
  removeGroups: boolean;
  removeLicenses: boolean;
}): LeaverActions {
  return {
    disable: o.disable,
    revokeSessions: o.revokeSessions,
    removeGroups: o.removeGroups,
    removeLicenses: o.removeLicenses,
  };
}

export function policyFromFlow(flow: Flow): PlanPolicy {
  const leave: Record<string, LeaverActions> = {};
  for (const [kind, options] of Object.entries(flow.stages.leave)) leave[kind] = actions(options);
  return {
    run: flow.stages.run,
    groupRetention: flow.stages.update.groupRetention,
    credential: flow.stages.hire.initialCredential,
    leave,
    termination: actions(flow.stages.termination),
    retirement: actions(flow.stages.retirement),
    reuseAccountWithinDays: flow.matching.rehire?.reuseAccountWithinDays ?? 30,
  };
}

/** Validates the record; TENURE_INVALID_RECORD names the fields (never values). */
export function validRecord(flow: Flow, raw: Readonly<Record<string, unknown>>, workerId?: string): HrRecord {
  const parsed = parseHrRecord(flow, raw);
  if (!parsed.ok) {
    const fields = parsed.errors.map((e) => `${e.field} (${e.reason})`).join(', ');
    throw new TenureError('TENURE_INVALID_RECORD', `HR record is invalid: ${fields}.`, { workerId });
  }
  return parsed.record;
}

export function employeeIdOf(flow: Flow, record: Readonly<Record<string, unknown>>): string {
  const id = record[flow.matching.joinKey];
  if ((typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '') {
    throw new TenureError('TENURE_INVALID_RECORD', `HR record has no ${flow.matching.joinKey}.`);
  }
  return String(id).trim();
}

function dateField(record: HrRecord, field: string | undefined): string | undefined {
  const v = field ? record[field] : undefined;
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : undefined;
}

export function desiredFromFlow(inputs: DesiredInputs): { desired: DesiredState; policy: PlanPolicy } {
  const { desired, policy } = entraDesiredFromFlow(inputs);
  // The Exchange/OneDrive leaver playbook (issue 9): steps for this phase and their attribute overrides.
  const playbook = desiredPlaybook({
    flow: inputs.flow,
    record: validRecord(inputs.flow, inputs.raw),
    decision: desired.decision,
    now: inputs.now,
    random: seededRandom(`${inputs.flow.name}:${desired.employeeId}:playbook`),
  });
  return { policy, desired: withPlaybook(desired, playbook) };
}

function entraDesiredFromFlow(inputs: DesiredInputs): { desired: DesiredState; policy: PlanPolicy } {
  const { flow, now } = inputs;
  const record = validRecord(flow, inputs.raw);
  const employeeId = employeeIdOf(flow, record);
  let hr;
  try {
    hr = resolveStage(flow, record);
  } catch (err) {
    if (err instanceof UnmappedStatusError) {
      throw new TenureError('TENURE_MAPPING', `HR status field ${err.field} has an unmapped value.`, {
        workerId: employeeId,
      });
    }
    throw err;
  }
  const policy = policyFromFlow(flow);
  const decision = computeStage(
    {
      hr,
      startDate: dateField(record, flow.status.startDate),
      lastDayWorked: dateField(record, flow.status.lastDayWorked),
      timeZone: workerTimeZone(flow, record),
      createDaysBeforeStart: flow.stages.hire.createDaysBeforeStart,
      deleteAfterDays: flow.stages.run.includes('delete') ? flow.stages.delete.afterDays : undefined,
      terminatedSince: inputs.terminatedSince,
    },
    now,
  );
  const clock = { now, random: seededRandom(`${flow.name}:${employeeId}`) };
  const mapped = evaluateAttributes(flow, record, clock);
  const naming = namingCandidates(flow, record, clock);
  const errors = [...mapped.errors, ...naming.errors];
  if (errors.length > 0) {
    const list = errors.map((e) => `${e.attribute} (${e.code})`).join(', ');
    throw new TenureError('TENURE_MAPPING', `Attribute mapping failed: ${list}.`, { workerId: employeeId });
  }
  const granted = evaluateEntitlements(flow, record);
  const managed = managedEntitlements(flow);
  const managerValue = flow.manager ? record[flow.manager.field] : undefined;
  return {
    policy,
    desired: {
      flow: flow.name,
      employeeId,
      snapshot: { version: inputs.version, hash: hashOf(inputs.raw) },
      decision,
      previousPhase: inputs.previousPhase,
      attributes: { ...(mapped.attributes as Record<string, JsonValue>), employeeId },
      naming: {
        userPrincipalName: naming.userPrincipalName,
        mailNickname: naming.mailNickname,
        mail: naming.mail,
      },
      groups: { granted: granted.groups, managed: managed.groups },
      licenses: { granted: granted.licenses, managed: managed.licenses },
      managerEmployeeId:
        flow.manager && String(managerValue ?? '') === employeeId
          ? null
          : flow.manager
            ? typeof managerValue === 'string' || typeof managerValue === 'number'
              ? String(managerValue)
              : null
            : undefined,
    },
  };
}
