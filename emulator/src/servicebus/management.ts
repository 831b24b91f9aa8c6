// The `$management` request/response operations the @azure/service-bus SDK sends (see its core/managementClient):
// schedule and cancel, peek, lock renewal, receive-by-sequence-number (deferred), update-disposition, and the
// session operations. Answers carry `statusCode`/`statusDescription` application properties as Service Bus does.
import { message as rheaMessage, types, type Message as RheaMessage, type Typed } from 'rhea';
import type { QueueEntity, SettleResult, StoredMessage } from './entity';
import { longBytes, readLong, uuidBytes, uuidString } from './amqpTypes';
import { outgoingMessage } from './outgoing';

export interface ManagementAnswer {
  status: number;
  description?: string;
  condition?: string;
  body?: Record<string, unknown>;
}

type Body = Record<string, unknown>;

const LOCK_LOST =
  'The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.';

export function handleManagement(
  entity: QueueEntity,
  operation: string,
  body: Body,
  holder: object,
  now: number,
): ManagementAnswer {
  const nowReal = Date.now();
  switch (operation) {
    case 'com.microsoft:schedule-message':
      return schedule(entity, body, now);
    case 'com.microsoft:cancel-scheduled-message': {
      const seqs = sequenceNumbers(body);
      const missing = seqs.filter((s) => !entity.cancelScheduled(s));
      return missing.length
        ? notFound(`The scheduled message with sequence number ${missing[0]} was not found.`)
        : { status: 200 };
    }
    case 'com.microsoft:peek-message':
      return peek(entity, body);
    case 'com.microsoft:renew-lock': {
      const expirations: Date[] = [];
      for (const token of lockTokens(body)) {
        const until = entity.renewLock(token, nowReal);
        if (until === undefined) return lockLost(entity);
        expirations.push(new Date(until));
      }
      return { status: 200, body: { expirations: types.wrap_array(expirations, 0x83, undefined) } };
    }
    case 'com.microsoft:receive-by-sequence-number':
      return receiveDeferred(entity, body, holder, nowReal);
    case 'com.microsoft:update-disposition':
      return updateDisposition(entity, body, nowReal);
    case 'com.microsoft:renew-session-lock': {
      const until = entity.renewSessionLock(String(body['session-id']), nowReal);
      return until === undefined ? sessionLockLost() : { status: 200, body: { expiration: new Date(until) } };
    }
    case 'com.microsoft:get-session-state': {
      const session = entity.heldSession(String(body['session-id']), nowReal);
      if (!session) return sessionLockLost();
      return { status: 200, body: session.state ? { 'session-state': session.state } : {} };
    }
    case 'com.microsoft:set-session-state': {
      const session = entity.heldSession(String(body['session-id']), nowReal);
      if (!session) return sessionLockLost();
      const state = body['session-state'];
      session.state = Buffer.isBuffer(state) ? Buffer.from(state) : undefined;
      return { status: 200 };
    }
    default:
      return {
        status: 501,
        condition: 'amqp:not-implemented',
        description: `The operation ${operation} is not supported by the emulator.`,
      };
  }
}

function schedule(entity: QueueEntity, body: Body, now: number): ManagementAnswer {
  const entries = Array.isArray(body.messages) ? (body.messages as Body[]) : [];
  const numbers: Buffer[] = [];
  for (const entry of entries) {
    const decoded = rheaMessage.decode(entry.message as Buffer) as unknown as RheaMessage;
    const at = (decoded.message_annotations as Body | undefined)?.['x-opt-scheduled-enqueue-time'];
    const when = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : now;
    if (entity.requiresSession && (decoded.group_id === undefined || decoded.group_id === null))
      return badRequest(sessionIdMissing(entity));
    const stored = entity.enqueue(decoded, now, when, false);
    numbers.push(longBytes(stored!.sequenceNumber));
  }
  return { status: 200, body: { 'sequence-numbers': types.wrap_array(numbers, 0x81, undefined) } };
}

function peek(entity: QueueEntity, body: Body): ManagementAnswer {
  const from = readLong(body['from-sequence-number']) ?? 1;
  const count = Number(body['message-count'] ?? 1);
  const sessionId =
    body['session-id'] === undefined || body['session-id'] === null ? undefined : String(body['session-id']);
  const found: StoredMessage[] = [];
  for (const m of entity.messages.values()) {
    if (found.length >= count) break;
    if (m.sequenceNumber < from) continue;
    if (sessionId !== undefined && m.sessionId !== sessionId) continue;
    found.push(m);
  }
  if (found.length === 0) return { status: 204, description: 'No messages to peek.' };
  return {
    status: 200,
    body: {
      messages: found.map((m) =>
        types.wrap_map({
          message: rheaMessage.encode(outgoingMessage(m, m.deliveryCount, m.lock?.lockedUntil)),
        }),
      ),
    },
  };
}

function receiveDeferred(entity: QueueEntity, body: Body, holder: object, nowReal: number): ManagementAnswer {
  const receiveAndDelete = Number(body['receiver-settle-mode'] ?? 1) === 0;
  const out: Typed[] = [];
  for (const seq of sequenceNumbers(body)) {
    const m = entity.messages.get(seq);
    if (!m || m.state !== 'deferred' || m.lock)
      return notFound(
        `Failed to lock one or more specified messages. Either the message is already locked or does not exist. Sequence number: ${seq}`,
      );
    if (receiveAndDelete) {
      entity.take(m);
      out.push(types.wrap_map({ message: rheaMessage.encode(outgoingMessage(m, m.deliveryCount - 1)) }));
    } else {
      const lock = entity.lock(m, holder, nowReal);
      out.push(
        types.wrap_map({
          'lock-token': types.wrap_uuid(uuidBytes(lock.token)),
          message: rheaMessage.encode(outgoingMessage(m, m.deliveryCount - 1, lock.lockedUntil)),
        }),
      );
    }
  }
  return { status: 200, body: { messages: out } };
}

function updateDisposition(entity: QueueEntity, body: Body, nowReal: number): ManagementAnswer {
  const status = String(body['disposition-status']);
  const props = (body['properties-to-modify'] as Record<string, unknown> | undefined) ?? undefined;
  for (const token of lockTokens(body)) {
    let result: SettleResult;
    if (status === 'completed') result = entity.complete(token, nowReal);
    else if (status === 'abandoned') result = entity.abandon(token, nowReal, props);
    else if (status === 'defered') result = entity.defer(token, nowReal, props);
    else if (status === 'suspended')
      result = entity.deadLetterByToken(
        token,
        nowReal,
        optionalString(body['deadletter-reason']),
        optionalString(body['deadletter-description']),
        props,
      );
    else return badRequest(`Unknown disposition status ${status}.`);
    if (result !== 'ok') return lockLost(entity);
  }
  return { status: 200 };
}

function sequenceNumbers(body: Body): number[] {
  const raw = body['sequence-numbers'];
  return (Array.isArray(raw) ? raw : [raw]).map(readLong).filter((n): n is number => n !== undefined);
}

function lockTokens(body: Body): string[] {
  const raw = body['lock-tokens'];
  return (Array.isArray(raw) ? raw : [raw])
    .filter((b): b is Buffer => Buffer.isBuffer(b) && b.length === 16)
    .map((b) => uuidString(b));
}

function optionalString(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

export function sessionIdMissing(entity: QueueEntity): string {
  return `The SessionId was not set on a message, and it cannot be sent to the entity ${entity.path}. Entities that have session support enabled can only receive messages that have the SessionId set to a valid value.`;
}

function notFound(description: string): ManagementAnswer {
  return { status: 404, condition: 'com.microsoft:message-not-found', description };
}

function badRequest(description: string): ManagementAnswer {
  return { status: 400, condition: 'com.microsoft:argument-error', description };
}

function lockLost(entity: QueueEntity): ManagementAnswer {
  return entity.requiresSession
    ? sessionLockLost()
    : { status: 410, condition: 'com.microsoft:message-lock-lost', description: LOCK_LOST };
}

function sessionLockLost(): ManagementAnswer {
  return {
    status: 410,
    condition: 'com.microsoft:session-lock-lost',
    description: 'The session lock has expired on the MessageSession. Accept a new MessageSession.',
  };
}
