// One Service Bus queue (or its dead-letter sub-queue) as pure state: messages in sequence order, message locks,
// session locks and state, scheduled messages, duplicate detection and expiry. No networking here: the AMQP layer
// calls these methods and is told through `onAvailable` when a receiver may now get something.
//
// Time: enqueue, scheduled and expiry times follow the emulator clock (so advancing it releases scheduled messages
// and expires TTLs); message and session locks run on real time, because the SDK renews them with its own timers.
import { randomUUID } from 'node:crypto';
import type { Message as RheaMessage } from 'rhea';
import type { QueueProperties } from './queueProperties';

export type MessageState = 'active' | 'deferred' | 'scheduled';

export interface StoredMessage {
  sequenceNumber: number;
  /** The message as the client sent it (its own annotations and properties), without broker annotations. */
  message: RheaMessage;
  messageId?: string;
  sessionId?: string;
  /** Emulator-clock milliseconds. */
  enqueuedAt: number;
  expiresAt: number;
  scheduledFor?: number;
  state: MessageState;
  /** Delivery attempts so far (the AMQP header carries the attempts before the current one). */
  deliveryCount: number;
  lock?: MessageLock;
}

export interface MessageLock {
  /** RFC 4122 string, as the SDK shows it in `lockToken`. */
  token: string;
  /** Real-time milliseconds. */
  lockedUntil: number;
  holder: object;
}

export interface SessionInfo {
  id: string;
  state?: Buffer;
  holder?: object;
  lockedUntil: number;
}

export type SettleResult = 'ok' | 'lock-lost';

export const DEAD_LETTER_SUFFIX = '/$DeadLetterQueue';

export class QueueEntity {
  readonly messages = new Map<number, StoredMessage>();
  readonly locks = new Map<string, StoredMessage>();
  readonly sessions = new Map<string, SessionInfo>();
  readonly #duplicates = new Map<string, number>();
  #nextSequence = 1;
  readonly deadLetter: QueueEntity | undefined;
  /** Called whenever a message may have become receivable (the AMQP layer pumps its receivers). */
  onAvailable: () => void = () => undefined;

  constructor(
    readonly properties: QueueProperties,
    readonly path: string = properties.name,
    isDeadLetter = false,
  ) {
    this.deadLetter = isDeadLetter
      ? undefined
      : new QueueEntity(
          {
            ...properties,
            requiresSession: false,
            requiresDuplicateDetection: false,
            maxDeliveryCount: Number.MAX_SAFE_INTEGER,
            defaultMessageTimeToLiveMs: Infinity,
            deadLetteringOnMessageExpiration: false,
          },
          `${properties.name}${DEAD_LETTER_SUFFIX}`,
          true,
        );
  }

  get isDeadLetter(): boolean {
    return this.deadLetter === undefined;
  }

  get requiresSession(): boolean {
    return this.properties.requiresSession;
  }

  /** Adds a sent message. Returns undefined when duplicate detection drops it (the send still succeeds). */
  enqueue(
    message: RheaMessage,
    now: number,
    scheduledFor?: number,
    detectDuplicates = true,
  ): StoredMessage | undefined {
    const messageId = message.message_id === undefined ? undefined : String(message.message_id);
    if (detectDuplicates && this.properties.requiresDuplicateDetection && messageId !== undefined) {
      const seen = this.#duplicates.get(messageId);
      if (seen !== undefined && now - seen < this.properties.duplicateDetectionWindowMs) return undefined;
      this.#duplicates.set(messageId, now);
    }
    // Service Bus assigns a message id when the sender gave none.
    if (messageId === undefined) message = { ...message, message_id: randomUUID().replace(/-/g, '') };
    const start = scheduledFor !== undefined && scheduledFor > now ? scheduledFor : now;
    const ttl = Math.min(
      typeof message.ttl === 'number' && message.ttl > 0 ? message.ttl : Infinity,
      this.properties.defaultMessageTimeToLiveMs,
    );
    const stored: StoredMessage = {
      sequenceNumber: this.#nextSequence++,
      message,
      messageId: String(message.message_id),
      sessionId:
        message.group_id === undefined || message.group_id === null ? undefined : String(message.group_id),
      enqueuedAt: start,
      expiresAt: start + ttl,
      scheduledFor: start > now ? start : undefined,
      state: start > now ? 'scheduled' : 'active',
      deliveryCount: 0,
    };
    this.messages.set(stored.sequenceNumber, stored);
    if (stored.sessionId !== undefined && !this.sessions.has(stored.sessionId))
      this.sessions.set(stored.sessionId, { id: stored.sessionId, lockedUntil: 0 });
    if (stored.state === 'active') this.onAvailable();
    return stored;
  }

  /** Moves a message (already removed from its queue) into this dead-letter queue, keeping its sequence number. */
  acceptDeadLettered(stored: StoredMessage): void {
    stored.lock = undefined;
    stored.state = 'active';
    stored.scheduledFor = undefined;
    stored.expiresAt = Infinity;
    this.messages.set(stored.sequenceNumber, stored);
    this.onAvailable();
  }

  cancelScheduled(sequenceNumber: number): boolean {
    const m = this.messages.get(sequenceNumber);
    if (!m || m.state !== 'scheduled') return false;
    this.messages.delete(sequenceNumber);
    return true;
  }

  /** Is the message receivable now by a receiver bound to `sessionId` (undefined = a plain receiver)? */
  #receivable(m: StoredMessage, sessionId: string | undefined): boolean {
    if (m.state !== 'active' || m.lock) return false;
    if (this.requiresSession) return m.sessionId === sessionId;
    return true;
  }

  /** The next message in sequence order for a receiver (in-order within a session: the first unlocked one). */
  next(sessionId: string | undefined): StoredMessage | undefined {
    for (const m of this.messages.values()) {
      if (this.#receivable(m, sessionId)) return m;
    }
    return undefined;
  }

  /** Locks a message for a peek-lock receiver; counts the delivery attempt. */
  lock(m: StoredMessage, holder: object, nowReal: number): MessageLock {
    m.deliveryCount++;
    m.lock = { token: randomUUID(), lockedUntil: nowReal + this.properties.lockDurationMs, holder };
    this.locks.set(m.lock.token, m);
    return m.lock;
  }

  /** Removes a message delivered in receive-and-delete mode. */
  take(m: StoredMessage): void {
    m.deliveryCount++;
    this.messages.delete(m.sequenceNumber);
  }

  #locked(token: string, nowReal: number): StoredMessage | undefined {
    const m = this.locks.get(token);
    if (!m || !m.lock || m.lock.lockedUntil <= nowReal) return undefined;
    if (m.sessionId !== undefined && this.requiresSession) {
      const session = this.sessions.get(m.sessionId);
      if (!session || session.lockedUntil <= nowReal) return undefined;
    }
    return m;
  }

  complete(token: string, nowReal: number): SettleResult {
    const m = this.#locked(token, nowReal);
    if (!m) return 'lock-lost';
    this.locks.delete(token);
    this.messages.delete(m.sequenceNumber);
    this.#forgetSessionIfIdle(m.sessionId);
    return 'ok';
  }

  /** Abandon: the lock is released, the delivery counted; past maxDeliveryCount the message is dead-lettered. */
  abandon(token: string, nowReal: number, annotations?: Record<string, unknown>): SettleResult {
    const m = this.#locked(token, nowReal);
    if (!m) return 'lock-lost';
    this.#modify(m, annotations);
    this.#unlock(m);
    return 'ok';
  }

  defer(token: string, nowReal: number, annotations?: Record<string, unknown>): SettleResult {
    const m = this.#locked(token, nowReal);
    if (!m) return 'lock-lost';
    this.#modify(m, annotations);
    this.locks.delete(token);
    m.lock = undefined;
    m.state = 'deferred';
    return 'ok';
  }

  deadLetterByToken(
    token: string,
    nowReal: number,
    reason: string | undefined,
    description: string | undefined,
    properties?: Record<string, unknown>,
  ): SettleResult {
    const m = this.#locked(token, nowReal);
    if (!m) return 'lock-lost';
    this.#modify(m, properties);
    this.moveToDeadLetter(m, reason, description);
    return 'ok';
  }

  renewLock(token: string, nowReal: number): number | undefined {
    const m = this.#locked(token, nowReal);
    if (!m || !m.lock) return undefined;
    m.lock.lockedUntil = nowReal + this.properties.lockDurationMs;
    return m.lock.lockedUntil;
  }

  /** Service Bus keeps dead-letter reason and description as application properties of the message. */
  moveToDeadLetter(m: StoredMessage, reason: string | undefined, description: string | undefined): void {
    if (!this.deadLetter) return;
    if (m.lock) this.locks.delete(m.lock.token);
    this.messages.delete(m.sequenceNumber);
    const props: Record<string, unknown> = { ...(m.message.application_properties ?? {}) };
    if (reason !== undefined) props.DeadLetterReason = reason;
    if (description !== undefined) props.DeadLetterErrorDescription = description;
    m.message = { ...m.message, application_properties: props };
    this.#forgetSessionIfIdle(m.sessionId);
    this.deadLetter.acceptDeadLettered(m);
  }

  #modify(m: StoredMessage, annotations?: Record<string, unknown>): void {
    if (!annotations || Object.keys(annotations).length === 0) return;
    m.message = {
      ...m.message,
      application_properties: { ...(m.message.application_properties ?? {}), ...annotations },
    };
  }

  /** A lock ends without completion: back to the queue, or to the dead-letter queue past maxDeliveryCount. */
  #unlock(m: StoredMessage): void {
    if (m.lock) this.locks.delete(m.lock.token);
    m.lock = undefined;
    if (m.deliveryCount >= this.properties.maxDeliveryCount && !this.isDeadLetter) {
      this.moveToDeadLetter(
        m,
        'MaxDeliveryCountExceeded',
        `Message could not be consumed after ${this.properties.maxDeliveryCount} delivery attempts.`,
      );
      return;
    }
    this.onAvailable();
  }

  // ----- sessions -----

  /** Locks a named session, or (id undefined) the first unlocked session that has a receivable message. */
  acceptSession(id: string | undefined, holder: object, nowReal: number): SessionInfo | undefined {
    let session: SessionInfo | undefined;
    if (id !== undefined) {
      session = this.sessions.get(id) ?? { id, lockedUntil: 0 };
      this.sessions.set(id, session);
      if (session.holder && session.holder !== holder && session.lockedUntil > nowReal) return undefined;
    } else {
      const candidates = new Set<string>();
      for (const m of this.messages.values()) {
        if (m.state === 'active' && !m.lock && m.sessionId !== undefined) candidates.add(m.sessionId);
      }
      for (const sid of candidates) {
        const s = this.sessions.get(sid);
        if (s && (!s.holder || s.lockedUntil <= nowReal)) {
          session = s;
          break;
        }
      }
      if (!session) return undefined;
    }
    session.holder = holder;
    session.lockedUntil = nowReal + this.properties.lockDurationMs;
    return session;
  }

  /** The session if `holder` (or anyone, when holder is undefined) still holds its lock. */
  heldSession(id: string, nowReal: number, holder?: object): SessionInfo | undefined {
    const s = this.sessions.get(id);
    if (!s || !s.holder || s.lockedUntil <= nowReal) return undefined;
    if (holder && s.holder !== holder) return undefined;
    return s;
  }

  renewSessionLock(id: string, nowReal: number): number | undefined {
    const s = this.heldSession(id, nowReal);
    if (!s) return undefined;
    s.lockedUntil = nowReal + this.properties.lockDurationMs;
    return s.lockedUntil;
  }

  /** The receiver of a session detached or its lock ran out: its unsettled messages return to the session. */
  releaseSession(id: string, holder: object): void {
    const s = this.sessions.get(id);
    if (!s || s.holder !== holder) return;
    s.holder = undefined;
    s.lockedUntil = 0;
    for (const m of [...this.messages.values()]) if (m.sessionId === id && m.lock) this.#unlock(m);
    this.#forgetSessionIfIdle(id);
    this.onAvailable();
  }

  #forgetSessionIfIdle(id: string | undefined): void {
    if (id === undefined) return;
    const s = this.sessions.get(id);
    if (!s || s.holder || s.state) return;
    for (const m of this.messages.values()) if (m.sessionId === id) return;
    this.sessions.delete(id);
  }

  /** Releases due scheduled messages, expires messages past their TTL and ends expired locks. */
  sweep(now: number, nowReal: number): { expiredSessions: SessionInfo[] } {
    let available = false;
    for (const m of [...this.messages.values()]) {
      if (m.state === 'scheduled' && m.scheduledFor !== undefined && m.scheduledFor <= now) {
        m.state = 'active';
        m.scheduledFor = undefined;
        available = true;
      }
      if (m.lock && m.lock.lockedUntil <= nowReal && !(this.requiresSession && m.sessionId !== undefined)) {
        this.#unlock(m);
        available = true;
        continue;
      }
      if (!m.lock && m.state === 'active' && m.expiresAt <= now) {
        if (this.properties.deadLetteringOnMessageExpiration)
          this.moveToDeadLetter(m, 'TTLExpiredException', 'The message expired and was dead lettered.');
        else {
          this.messages.delete(m.sequenceNumber);
          this.#forgetSessionIfIdle(m.sessionId);
        }
      }
    }
    for (const [id, seen] of this.#duplicates)
      if (now - seen >= this.properties.duplicateDetectionWindowMs) this.#duplicates.delete(id);
    const expiredSessions = [...this.sessions.values()].filter((s) => s.holder && s.lockedUntil <= nowReal);
    if (available) this.onAvailable();
    return { expiredSessions };
  }

  counts(nowReal: number): {
    active: number;
    scheduled: number;
    deferred: number;
    locked: number;
    deadLetter: number;
  } {
    let active = 0;
    let scheduled = 0;
    let deferred = 0;
    let locked = 0;
    for (const m of this.messages.values()) {
      if (m.state === 'scheduled') scheduled++;
      else if (m.state === 'deferred') deferred++;
      else active++;
      if (m.lock && m.lock.lockedUntil > nowReal) locked++;
    }
    return { active, scheduled, deferred, locked, deadLetter: this.deadLetter?.messages.size ?? 0 };
  }
}
