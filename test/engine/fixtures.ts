// Fixture builders for engine unit tests: a desired state, an observed state and a policy that tests tweak.
import type { DesiredState } from '../../shared/engine/desired/model';
import type { ObservedState, ObservedUser } from '../../shared/engine/observe/model';
import type { PlanPolicy } from '../../shared/engine/planner/policy';

export const NOW = new Date('2026-03-10T12:00:00Z');

export function desired(over: Partial<DesiredState> = {}): DesiredState {
  return {
    flow: 'workday',
    employeeId: 'E100',
    snapshot: { version: '1', hash: 'h1' },
    decision: { phase: 'active' },
    attributes: { displayName: 'Ada Lovelace', department: 'Sales', usageLocation: 'GB', employeeId: 'E100' },
    naming: {
      userPrincipalName: ['ada.lovelace@contoso.test', 'ada.lovelace2@contoso.test'],
      mailNickname: ['ada.lovelace'],
      mail: [],
    },
    groups: { granted: ['Sales'], managed: ['Sales', 'Marketing', 'All staff'] },
    licenses: { granted: ['SPE_E3'], managed: ['SPE_E3'] },
    managerEmployeeId: 'M1',
    ...over,
  };
}

export function user(over: Partial<ObservedUser> = {}): ObservedUser {
  return {
    id: 'u-1',
    deleted: false,
    accountEnabled: true,
    attributes: {
      displayName: 'Ada Lovelace',
      department: 'Sales',
      usageLocation: 'GB',
      employeeId: 'E100',
      userPrincipalName: 'ada.lovelace@contoso.test',
      mailNickname: 'ada.lovelace',
    },
    ...over,
  };
}

/** An observation that matches `desired()` exactly. */
export function observed(over: Partial<ObservedState> = {}): ObservedState {
  return {
    takenAt: NOW.toISOString(),
    user: user(),
    groups: ['g-sales'],
    licenses: ['sku-e3'],
    managerObjectId: 'u-m1',
    resolved: {
      groups: { Sales: 'g-sales', Marketing: 'g-mkt', 'All staff': 'g-all' },
      skus: { SPE_E3: 'sku-e3' },
      manager: { employeeId: 'M1', objectId: 'u-m1' },
    },
    freeNames: {},
    bookkeeping: { waitingReports: 0 },
    ...over,
  };
}

export const LEAVER = { disable: true, revokeSessions: true, removeGroups: true, removeLicenses: true };

export function policy(over: Partial<PlanPolicy> = {}): PlanPolicy {
  return {
    run: ['hire', 'update', 'leave', 'termination', 'delete'],
    groupRetention: 'managed-only',
    credential: { kind: 'password', length: 16, classes: ['lower', 'upper', 'digit', 'symbol'] },
    leave: {
      'long-term': { disable: true, revokeSessions: true, removeGroups: false, removeLicenses: false },
      fmla: { disable: false, revokeSessions: false, removeGroups: false, removeLicenses: false },
      legal: { disable: true, revokeSessions: true, removeGroups: false, removeLicenses: false },
      security: { disable: true, revokeSessions: true, removeGroups: true, removeLicenses: false },
      discipline: { disable: true, revokeSessions: true, removeGroups: false, removeLicenses: false },
    },
    termination: LEAVER,
    retirement: { ...LEAVER, removeLicenses: false },
    reuseAccountWithinDays: 30,
    ...over,
  };
}
