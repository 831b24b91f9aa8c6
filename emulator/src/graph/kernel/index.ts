// The Graph kernel other Graph route modules build on (see emulator/docs/graph.md, "Kernel API"):
// - addGraphRoute(router, ctx, method, '/v1.0/…', { permissions, throttle }, handler) — token (401), faults,
//   throttling (429), permission (403), then handler(req, call) with call.json/noContent/error and ids.
// - GraphError / graphErrors / graphErrorResponse — Graph's error envelope with innerError and id headers.
// - requirePermission / requireDelegatedRole / requireSensitiveAction / holdsRole — permission and role rules.
// - identityCost / chargeRequest — directory throttling; outlookCharges / filesCharges / globalCharge with
//   chargeBuckets — the Outlook, SharePoint and global limits; tenantFaults / hiddenByReplicationLag — faults.
export {
  addGraphRoute,
  GRAPH_JSON,
  runGraphPipeline,
  onTenantFirstUse,
  tooManyRequests,
  header,
  requestIdsFor,
} from './pipeline';
export type { GraphCall, GraphHandler, GraphRouteOptions, ThrottleClass } from './pipeline';
export {
  authenticateGraph,
  canActOn,
  forbidden,
  hasPermission,
  holdsRole,
  requireDelegatedRole,
  requirePermission,
  requireSensitiveAction,
} from './auth';
export type { GraphCaller, PermissionRule, SensitiveAction } from './auth';
export {
  GraphError,
  graphDate,
  graphErrorAnswer,
  graphErrorBody,
  graphErrorResponse,
  graphErrors,
  idHeaders,
} from './errors';
export type { GraphErrorDetail, RequestIds } from './errors';
export { chargeBuckets, chargeRequest, identityCharges, identityCost, RESOURCE_UNIT_QUOTA } from './throttle';
export type { BucketCharge, BucketOutcome, LimitSpec, RequestCost, ThrottleOutcome } from './throttle';
export {
  filesCharges,
  globalCharge,
  GLOBAL_APP_LIMIT,
  OUTLOOK_CONCURRENCY,
  OUTLOOK_MAILBOX_LIMIT,
  outlookCharges,
} from './serviceLimits';
export {
  drawInjectedError,
  drawLatencyMs,
  hiddenByReplicationLag,
  setTenantFaults,
  tenantFaults,
} from './faults';
export type { GraphFaults } from './faults';
export { graphRandom, graphSettings, updateGraphSettings } from './settings';
export type { GraphSettings } from './settings';
export { SeededRandom } from './random';
