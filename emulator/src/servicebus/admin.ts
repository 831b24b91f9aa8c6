// Emulator-only admin endpoints for Service Bus (what the portal or Service Bus Explorer would do): create and
// delete queues at run time, list them with message counts, and look at the messages of a queue or its DLQ.
import type { EmulatorContext } from '../context';
import { jsonBody } from '../http/serve';
import type { EmulatorResponse, Router } from '../http/router';
import { bad, notFound } from '../admin/routes';
import type { AmqpServer } from './amqpServer';
import { Namespace, QueueExistsError } from './broker';
import { DurationError } from './durations';
import type { QueueEntity, StoredMessage } from './entity';
import { QueueDefinitionError, type QueueDefinition } from './queueProperties';

export function registerServiceBusAdminRoutes(router: Router, ctx: EmulatorContext): void {
  const ns = (): Namespace => ctx.state.extension('servicebus', () => new Namespace(ctx.state.clock));
  router.add('GET', '/_emulator/servicebus/queues', () => ({
    status: 200,
    body: { value: ns().queues().map(describeQueue) },
  }));
  router.add('POST', '/_emulator/servicebus/queues', (req) => {
    try {
      const entity = ns().createQueue(jsonBody(req) as QueueDefinition);
      return { status: 201, body: describeQueue(entity) };
    } catch (error) {
      if (error instanceof QueueExistsError)
        return { status: 409, body: { error: 'conflict', message: error.message } };
      if (error instanceof QueueDefinitionError || error instanceof DurationError) return bad(error.message);
      throw error;
    }
  });
  router.add('GET', '/_emulator/servicebus/queues/{name}', (req) => {
    const q = ns().queue(req.params.name!);
    return q ? { status: 200, body: describeQueue(q) } : notFound(`queue ${req.params.name}`);
  });
  router.add('DELETE', '/_emulator/servicebus/queues/{name}', (req) => {
    const q = ns().deleteQueue(req.params.name!);
    if (!q) return notFound(`queue ${req.params.name}`);
    (ctx.state.extensions.get('servicebus.server') as AmqpServer | undefined)?.detachEntity(q);
    return { status: 204 };
  });
  router.add('GET', '/_emulator/servicebus/queues/{name}/messages', (req): EmulatorResponse => {
    const q = ns().queue(req.params.name!);
    if (!q) return notFound(`queue ${req.params.name}`);
    const entity = req.query.get('subqueue') === 'deadletter' ? q.deadLetter! : q;
    const top = Math.max(1, Math.min(1000, Number(req.query.get('top') ?? 100) || 100));
    return { status: 200, body: { value: [...entity.messages.values()].slice(0, top).map(describeMessage) } };
  });
}

function describeQueue(q: QueueEntity) {
  const p = q.properties;
  return {
    name: p.name,
    requiresSession: p.requiresSession,
    maxDeliveryCount: p.maxDeliveryCount,
    lockDurationMs: p.lockDurationMs,
    requiresDuplicateDetection: p.requiresDuplicateDetection,
    duplicateDetectionWindowMs: p.duplicateDetectionWindowMs,
    deadLetteringOnMessageExpiration: p.deadLetteringOnMessageExpiration,
    defaultMessageTimeToLiveMs: Number.isFinite(p.defaultMessageTimeToLiveMs)
      ? p.defaultMessageTimeToLiveMs
      : null,
    counts: q.counts(Date.now()),
    sessions: [...q.sessions.values()].map((s) => ({
      id: s.id,
      locked: Boolean(s.holder) && s.lockedUntil > Date.now(),
      hasState: s.state !== undefined,
    })),
  };
}

function describeMessage(m: StoredMessage) {
  return {
    sequenceNumber: m.sequenceNumber,
    messageId: m.messageId ?? null,
    sessionId: m.sessionId ?? null,
    state: m.state,
    deliveryCount: m.deliveryCount,
    enqueuedTimeUtc: new Date(m.enqueuedAt).toISOString(),
    scheduledEnqueueTimeUtc: m.scheduledFor === undefined ? null : new Date(m.scheduledFor).toISOString(),
    expiresAtUtc: Number.isFinite(m.expiresAt) ? new Date(m.expiresAt).toISOString() : null,
    lockedUntilUtc: m.lock ? new Date(m.lock.lockedUntil).toISOString() : null,
    applicationProperties: m.message.application_properties ?? {},
    body: bodyOf(m.message.body),
  };
}

function bodyOf(body: unknown): unknown {
  const section = body as { content?: unknown; typecode?: number } | undefined;
  const content = section && typeof section === 'object' && 'typecode' in section ? section.content : body;
  if (Buffer.isBuffer(content)) {
    const text = content.toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return content ?? null;
}
