// Mass-change guard admin endpoints: list the flow's held plans, resume (approve) them, or discard them.
// Resuming unpauses the flow and sends each held worker a `resume` message through its own session.
import { app, type HttpRequest } from '@azure/functions';
import { decodePlan } from '../shared/engine/plan/codec';
import { renderPlan } from '../shared/engine/plan/render';
import type { EngineDeps } from '../shared/engine/reconcile';
import { adminOnly } from './adminAccess';
import { engineDeps } from './engineDeps';
import { engineError, invalid } from './engineHttp';

/** `{"employeeIds": [...]}` selects held plans; an empty or absent body means all of them. */
async function selection(request: HttpRequest): Promise<string[] | undefined | 'invalid'> {
  const text = await request.text();
  if (text.trim() === '') return undefined;
  try {
    const body = JSON.parse(text) as { employeeIds?: unknown };
    if (body.employeeIds === undefined) return undefined;
    if (!Array.isArray(body.employeeIds) || !body.employeeIds.every((x) => typeof x === 'string'))
      return 'invalid';
    return body.employeeIds;
  } catch {
    return 'invalid';
  }
}

export function listHeldHandler(deps: () => EngineDeps = engineDeps) {
  return adminOnly(async (request) => {
    const { flow } = request.params;
    const d = deps();
    d.flows.get(flow);
    const held = await d.held.list(flow);
    return {
      status: 200,
      jsonBody: {
        flow,
        pausedSince: await d.held.pausedSince(flow),
        plans: held.map((h) => {
          const plan = decodePlan(h.plan);
          return {
            employeeId: h.employeeId,
            heldAt: h.heldAt,
            reason: h.reason,
            version: h.version,
            plan,
            text: renderPlan(plan),
          };
        }),
      },
    };
  }, engineError);
}

export function resolveHeldHandler(action: 'resume' | 'discard', deps: () => EngineDeps = engineDeps) {
  return adminOnly(async (request, context) => {
    const picked = await selection(request);
    if (picked === 'invalid') return invalid('Body must be empty or {"employeeIds": ["…"]}.');
    const { flow } = request.params;
    const d = deps();
    d.flows.get(flow);
    const held = (await d.held.list(flow)).filter((h) => !picked || picked.includes(h.employeeId));
    if (action === 'resume') await d.held.setPaused(flow, null);
    for (const h of held) {
      if (action === 'resume') {
        await d.sender.send({
          kind: 'resume',
          flow,
          employeeId: h.employeeId,
          version: h.version,
          sentAt: d.clock.now().toISOString(),
        });
      }
      await d.held.remove(flow, h.employeeId);
      const worker = action === 'discard' ? await d.workers.get(flow, h.employeeId) : null;
      if (worker) {
        const reason = 'Held plan discarded by an admin; replay the worker to plan again.';
        await d.workers.put({
          ...worker,
          etag: undefined,
          status: 'skipped',
          reason,
          updatedAt: d.clock.now().toISOString(),
        });
      }
    }
    const remaining = await d.held.list(flow);
    if (action === 'discard' && remaining.length === 0) await d.held.setPaused(flow, null);
    context.log(`${action} ${held.length} held plan(s) of flow ${flow}`);
    return {
      status: 200,
      jsonBody: {
        flow,
        [action === 'resume' ? 'resumed' : 'discarded']: held.map((h) => h.employeeId),
        remaining: remaining.length,
      },
    };
  }, engineError);
}

app.http('listHeldPlans', {
  methods: ['GET'],
  authLevel: 'function',
  route: 'flows/{flow}/held',
  handler: listHeldHandler(),
});
app.http('resumeHeldPlans', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'flows/{flow}/held/resume',
  handler: resolveHeldHandler('resume'),
});
app.http('discardHeldPlans', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'flows/{flow}/held/discard',
  handler: resolveHeldHandler('discard'),
});
