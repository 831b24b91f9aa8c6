// HR ingestion endpoint: POST /api/flows/{flow}/events takes CloudEvents (one or a batch), a SCIM BulkRequest or a
// CSV extract and answers every record (shared/ingest). Function key (authLevel 'function') and, where App Service
// authentication is required, the HR app role (or the admin role) on the caller.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { join } from 'node:path';
import { authorizeRole } from '../shared/auth/appServicePrincipal';
import { readFlag, readSetting } from '../shared/config/settings';
import { FlowLoadError } from '../shared/flows';
import {
  flowsFolder,
  folderFlowSource,
  ingest,
  tableManagedWorkers,
  type IngestDeps,
} from '../shared/ingest';
import { ServiceBusWorkerSender, type WorkerMessageSender } from '../shared/messaging/sender';
import { TableWorkerRepository } from '../shared/storage/workers';
import { appClients } from './appClients';
import { errorResponse } from './httpErrors';

const APP_ROOT = join(__dirname, '..', '..');

let deps: IngestDeps | undefined;
let sender: WorkerMessageSender | undefined;

function ingestDeps(): IngestDeps {
  if (!deps) {
    const clients = appClients();
    const workers = new TableWorkerRepository((name) => clients.table(name));
    deps = {
      flows: folderFlowSource(flowsFolder(process.env, APP_ROOT)),
      sender: () =>
        (sender ??= new ServiceBusWorkerSender(clients.serviceBus().createSender(clients.hrQueue))),
      managedWorkers: () => tableManagedWorkers(() => clients.table('Workers')),
      storedSnapshots: async (flow, employeeId) =>
        (await workers.get(flow, employeeId))?.snapshot ?? undefined,
    };
  }
  return deps;
}

/** undefined when the caller may post HR data; otherwise the answer to give. */
export function denyUnlessHr(
  request: HttpRequest,
  env: NodeJS.ProcessEnv = process.env,
): HttpResponseInit | undefined {
  const requireRole = readFlag(env, 'TENURE_REQUIRE_ADMIN_ROLE');
  const header = request.headers.get('x-ms-client-principal');
  const hrRole = readSetting(env, 'TENURE_HR_ROLE') ?? 'Tenure.HR.Write';
  const decision = authorizeRole(header, hrRole, requireRole);
  if (decision.allowed) return undefined;
  // An admin may post too (e.g. to replay an extract by hand).
  if (authorizeRole(header, readSetting(env, 'TENURE_ADMIN_ROLE') ?? 'Tenure.Admin', requireRole).allowed)
    return undefined;
  const reason = decision.status === 403 ? `The app role ${hrRole} is required.` : decision.reason;
  return { status: decision.status, jsonBody: { error: { code: 'TENURE_FORBIDDEN', message: reason } } };
}

export function makeEventsHandler(
  getDeps: () => IngestDeps = ingestDeps,
  env: NodeJS.ProcessEnv = process.env,
) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const denied = denyUnlessHr(request, env);
    if (denied) return denied;
    const length = Number(request.headers.get('content-length'));
    try {
      const result = await ingest(getDeps(), {
        flow: request.params.flow ?? '',
        contentType: request.headers.get('content-type'),
        contentLength: Number.isFinite(length) && length > 0 ? length : undefined,
        readBody: async () => new Uint8Array(await request.arrayBuffer()),
        query: request.query,
      });
      const body = result.body as { summary?: Record<string, number>; format?: string };
      if (body.summary)
        context.log(
          `flow ${request.params.flow}: ${body.format} ${JSON.stringify(body.summary)} (HTTP ${result.status})`,
        );
      else context.log(`flow ${request.params.flow}: HTTP ${result.status}`);
      return { status: result.status, headers: result.headers, jsonBody: result.body };
    } catch (error) {
      if (error instanceof FlowLoadError) {
        context.error(`flow ${request.params.flow} does not load: ${error.code}`);
        return {
          status: 500,
          jsonBody: {
            error: {
              code: 'TENURE_INGEST_FLOW_INVALID',
              message: `The flow definition does not load; run \`tenure validate\` on it.`,
            },
          },
        };
      }
      return errorResponse(error, context);
    }
  };
}

app.http('postEvents', {
  route: 'flows/{flow}/events',
  methods: ['POST'],
  authLevel: 'function',
  handler: makeEventsHandler(),
});
