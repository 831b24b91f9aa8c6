// Service Bus trigger on the session-enabled `hr-events` queue (session = flow + employee id): one worker snapshot,
// wake-up, retry, re-drive or resume per message, handed to the engine. Outcomes map to settlement in
// shared/engine/handler.ts: returning completes the message; a throw (only when even scheduling a retry failed)
// makes the host abandon it so the broker redelivers.
import { app, type InvocationContext } from '@azure/functions';
import { handleWorkerMessage, type HandledOutcome, type Log } from '../shared/engine/handler';
import type { EngineDeps } from '../shared/engine/reconcile';
import { engineDeps } from './engineDeps';

export function contextLog(context: InvocationContext): Log {
  const line = (fields?: Record<string, unknown>) => (fields ? ` ${JSON.stringify(fields)}` : '');
  return {
    info: (m, f) => context.log(`${m}${line(f)}`),
    warn: (m, f) => context.warn(`${m}${line(f)}`),
    error: (m, f) => context.error(`${m}${line(f)}`),
  };
}

export function reconcileWorkerHandler(deps: () => EngineDeps = engineDeps) {
  return async (message: unknown, context: InvocationContext): Promise<HandledOutcome> =>
    handleWorkerMessage(deps(), message, context.invocationId, contextLog(context));
}

/**
 * The queue name is an app-setting binding expression (resolved by the host from TENURE_HR_QUEUE, which infra sets
 * to the `hr-events` queue of shared/config/resources.ts), so a test or a second deployment can point it elsewhere.
 */
export const HR_QUEUE_BINDING = '%TENURE_HR_QUEUE%';

app.serviceBusQueue('reconcileWorker', {
  connection: 'ServiceBusConnection',
  queueName: HR_QUEUE_BINDING,
  isSessionsEnabled: true,
  handler: reconcileWorkerHandler(),
});
