/** Public API of flows (wiring only). */
export * from './model';
export { parseFlow, loadFlow } from './loader';
export { FlowLoadError, formatIssue, type FlowIssue } from './errors';
export {
  parseHrRecord,
  type HrRecord,
  type HrValue,
  type HrFieldError,
  type HrRecordResult,
} from './hr-record';
export { evaluateCondition, evaluateStatement } from './conditions';
export { evaluateEntitlements, managedEntitlements, isGuidRef, type Entitlements } from './entitlements';
export { resolveStage, enableInstant, createInstant, terminationInstant, UnmappedStatusError } from './stage';
export {
  evaluateAttributes,
  namingCandidates,
  firstUntaken,
  takenSet,
  type MappedAttributes,
  type NamingCandidates,
} from './mapping';
export { runExamples, runExample, type ExampleResult } from './examples';
export { workerTimeZone, startOfDayInZone } from './time-zone';
export { ENTRA_USER_ATTRIBUTES, OWNED_ATTRIBUTES, isKnownEntraAttribute } from './entra-attributes';
