// A compact flow for pipeline tests, parsed by the real flow loader.
import { parseFlow, type Flow } from '../../shared/flows/index';

export const TEST_FLOW_YAML = `
version: 1
name: hr
connection: demo
hr:
  timeZone: { field: TimeZone, fallback: Europe/Berlin }
  fields:
    Id: { type: string, required: true }
    Status: { type: string, required: true }
    LeaveKind: string
    First: { type: string, required: true }
    Last: { type: string, required: true }
    Dept: string
    Country: string
    Manager: string
    Start: { type: date, required: true }
    LastDay: date
    TimeZone: string
    Version: string
matching:
  joinKey: Id
  rehire: { reuseAccountWithinDays: 30 }
status:
  field: Status
  values:
    Active: active
    Leave: leave:long-term
    Terminated: terminated
    Retired: retired
  overrides:
    - when:
        allOf:
          - { attribute: Status, operator: EQUALS, value: Leave }
          - { attribute: LeaveKind, operator: EQUALS, value: FMLA }
      stage: leave:fmla
  startDate: Start
  lastDayWorked: LastDay
stages:
  run: [hire, update, leave, termination, delete]
  hire:
    createDaysBeforeStart: 3
    initialCredential: { kind: password, length: 16, classes: [lower, upper, digit, symbol] }
  update:
    groupRetention: managed-only
  leave:
    default: { disable: true, revokeSessions: true, removeGroups: false, removeLicenses: false }
    fmla: { disable: false, revokeSessions: false, removeGroups: false, removeLicenses: false }
  termination: { disable: true, revokeSessions: true, removeGroups: true, removeLicenses: true }
  delete: { afterDays: 30 }
attributes:
  displayName: 'Join(" ", [First], [Last])'
  givenName: '[First]'
  surname: '[Last]'
  department: 'IgnoreFlowIfNullOrEmpty([Dept])'
  usageLocation: '[Country]'
naming:
  userPrincipalName:
    - 'Join("@", ToLower(NormalizeDiacritics(Join(".", [First], [Last]))), "contoso.test")'
    - 'Join("@", ToLower(NormalizeDiacritics(Join(".", [First], [Last], [Id]))), "contoso.test")'
  mailNickname:
    - 'ToLower(NormalizeDiacritics(Join(".", [First], [Last])))'
    - 'ToLower(Join("", "w", [Id]))'
  keepOldAddressAsAlias: true
manager: Manager
groups:
  default: [All Staff]
  rules:
    - when: { attribute: Dept, operator: EQUALS, value: Sales }
      grant: [Sales]
    - when: { attribute: Dept, operator: EQUALS, value: Marketing }
      grant: [Marketing]
licenses:
  default: [SPE_E3]
guard:
  window: PT1H
  maxDisables: 3
  maxDeletes: 3
  maxGroupRemovals: 50
`;

export function testFlow(yaml = TEST_FLOW_YAML): Flow {
  return parseFlow(yaml, 'test-flow.yaml');
}

export function record(over: Record<string, string> = {}): Record<string, string> {
  return {
    Id: 'E1',
    Status: 'Active',
    First: 'Ada',
    Last: 'Lovelace',
    Dept: 'Sales',
    Country: 'DE',
    Start: '2026-03-01',
    ...over,
  };
}
