// Per-worker admin endpoints: the record and timeline (GET), and replay of the last snapshot (POST …/replay),
// e.g. after fixing the cause of a failure. Replay goes through the worker's session like any other event.
import { app, type HttpResponseInit } from '@azure/functions';
import type { EngineDeps } from '../shared/engine/reconcile';
import { adminOnly } from './adminAccess';
import { engineDeps } from './engineDeps';
import { engineError, invalid } from './engineHttp';

const notFound: HttpResponseInit = {
  status: 404,
  jsonBody: {
    error: { code: 'TENURE_WORKER_NOT_FOUND', message: 'No record for this worker in this flow.' },
  },
};

export function getWorkerHandler(deps: () => EngineDeps = engineDeps) {
  return adminOnly(async (request) => {
    const { flow, employeeId } = request.params;
    const limitText = request.query.get('limit') ?? '100';
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      return invalid('limit must be an integer from 1 to 1000.');
    const d = deps();
    d.flows.get(flow);
    const worker = await d.workers.get(flow, employeeId);
    if (!worker) return notFound;
    const timeline = await d.timeline.list(flow, employeeId, limit);
    const { etag: _etag, ...record } = worker;
    return { status: 200, jsonBody: { worker: record, timeline } };
  }, engineError);
}

export function replayWorkerHandler(deps: () => EngineDeps = engineDeps) {
  return adminOnly(async (request, context) => {
    const { flow, employeeId } = request.params;
    const d = deps();
    d.flows.get(flow);
    const worker = await d.workers.get(flow, employeeId);
    if (!worker?.snapshot || !worker.snapshotVersion) return notFound;
    await d.sender.send({
      kind: 'retry',
      flow,
      employeeId,
      version: worker.snapshotVersion,
      sentAt: d.clock.now().toISOString(),
    });
    context.log(`replay queued for ${flow}/${employeeId}`);
    return { status: 202, jsonBody: { queued: true, version: worker.snapshotVersion } };
  }, engineError);
}

app.http('getWorker', {
  methods: ['GET'],
  authLevel: 'function',
  route: 'flows/{flow}/workers/{employeeId}',
  handler: getWorkerHandler(),
});

app.http('replayWorker', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'flows/{flow}/workers/{employeeId}/replay',
  handler: replayWorkerHandler(),
});
