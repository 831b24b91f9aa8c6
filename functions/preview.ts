// Preview: POST one record or {"records": [...]} and get each worker's plan against the live directory (JSON and
// text), without writing anything — not to Entra, not to Tenure's tables, not even a naming reservation.
import { app } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import { employeeIdOf } from '../shared/engine/desired/fromFlow';
import { toTenureError } from '../shared/engine/errors';
import { renderPlan } from '../shared/engine/plan/render';
import { reconcile, type EngineDeps } from '../shared/engine/reconcile';
import { adminOnly } from './adminAccess';
import { engineDeps } from './engineDeps';
import { engineError, invalid } from './engineHttp';

export const MAX_PREVIEW_RECORDS = 100;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function previewHandler(deps: () => EngineDeps = engineDeps) {
  return adminOnly(async (request) => {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return invalid('The body is not valid JSON.');
    }
    const records = isRecord(body) && Array.isArray(body.records) ? body.records : [body];
    if (records.length === 0 || records.length > MAX_PREVIEW_RECORDS || !records.every(isRecord)) {
      return invalid(
        `Send one record object or {"records": [...]} with 1 to ${MAX_PREVIEW_RECORDS} objects.`,
      );
    }
    const { flow: flowName } = request.params;
    const d = deps();
    const flow = d.flows.get(flowName);
    const now = d.clock.now().toISOString();
    const results = [];
    for (const record of records as Record<string, unknown>[]) {
      try {
        const employeeId = employeeIdOf(flow, record);
        const outcome = await reconcile(
          d,
          { kind: 'snapshot', flow: flowName, employeeId, version: now, record, sentAt: now },
          { runId: `preview-${randomUUID()}`, preview: true },
        );
        if (outcome.status === 'preview')
          results.push({ employeeId, plan: outcome.plan, text: renderPlan(outcome.plan) });
        else results.push({ employeeId, skipped: outcome.status });
      } catch (thrown) {
        const e = toTenureError(thrown);
        results.push({ employeeId: null, error: { code: e.code, message: e.message } });
      }
    }
    return { status: 200, jsonBody: { flow: flowName, results } };
  }, engineError);
}

app.http('previewFlow', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'flows/{flow}/preview',
  handler: previewHandler(),
});
