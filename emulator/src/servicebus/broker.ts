// The namespace: queues by name (case-insensitive, as Service Bus entity names are), their dead-letter queues,
// and the periodic sweep that releases scheduled messages and ends expired locks and TTLs.
import type { EmulatorClock } from '../clock';
import { DEAD_LETTER_SUFFIX, QueueEntity, type SessionInfo } from './entity';
import { queueProperties, type QueueDefinition } from './queueProperties';

export class QueueExistsError extends Error {
  readonly code = 'EMULATOR_SERVICEBUS_QUEUE_EXISTS';
}

export interface SessionExpiry {
  entity: QueueEntity;
  session: SessionInfo;
}

export class Namespace {
  readonly #queues = new Map<string, QueueEntity>();
  /** Told about every entity created, so the AMQP layer can hook `onAvailable`. */
  onEntity: (entity: QueueEntity) => void = () => undefined;
  /** Told about session locks that ran out (the AMQP layer detaches their receivers). */
  onSessionExpired: (expired: SessionExpiry) => void = () => undefined;

  constructor(readonly clock: EmulatorClock) {}

  createQueue(def: QueueDefinition): QueueEntity {
    const props = queueProperties(def);
    const key = props.name.toLowerCase();
    if (this.#queues.has(key)) throw new QueueExistsError(`queue ${props.name} already exists`);
    const entity = new QueueEntity(props);
    this.#queues.set(key, entity);
    this.onEntity(entity);
    if (entity.deadLetter) this.onEntity(entity.deadLetter);
    return entity;
  }

  deleteQueue(name: string): QueueEntity | undefined {
    const key = name.toLowerCase();
    const entity = this.#queues.get(key);
    this.#queues.delete(key);
    return entity;
  }

  queue(name: string): QueueEntity | undefined {
    return this.#queues.get(name.toLowerCase());
  }

  queues(): QueueEntity[] {
    return [...this.#queues.values()];
  }

  /** A queue or `<queue>/$DeadLetterQueue` (any case), as link addresses name them. */
  resolve(address: string): QueueEntity | undefined {
    const path = address.replace(/^\/+|\/+$/g, '');
    const lower = path.toLowerCase();
    const dlq = DEAD_LETTER_SUFFIX.toLowerCase();
    if (lower.endsWith(dlq)) return this.queue(path.slice(0, -dlq.length))?.deadLetter;
    return this.queue(path);
  }

  sweep(): void {
    const now = this.clock.now();
    const nowReal = Date.now();
    for (const q of this.#queues.values()) {
      for (const entity of [q, q.deadLetter!]) {
        const { expiredSessions } = entity.sweep(now, nowReal);
        for (const session of expiredSessions) this.onSessionExpired({ entity, session });
      }
    }
  }
}
