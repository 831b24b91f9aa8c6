// The AMQP 1.0 face of the namespace, on rhea: `$cbs` put-token (SAS checked against the namespace key),
// `<entity>/$management` request/response, senders into queues (single messages and batches), and peek-lock or
// receive-and-delete receivers, session receivers included (`com.microsoft:session-filter`). Rules the SDK relies
// on: the broker settles its own end of every delivery, and replies go to the link whose name is the request's
// reply_to, with correlation_id = message_id.
import type { Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  create_container,
  message as rheaMessage,
  type Connection,
  type Container,
  type Delivery,
  type EventContext,
  type Message as RheaMessage,
  type Receiver,
  type Sender,
} from 'rhea';
import type { RequestLog } from '../state/requestLog';
import { accepted, lockTokenToTag, rejected, tagToLockToken, ticks, type AmqpErrorInfo } from './amqpTypes';
import type { Namespace } from './broker';
import type { QueueEntity, SettleResult } from './entity';
import { handleManagement, sessionIdMissing } from './management';
import { outgoingMessage } from './outgoing';
import { audienceCovers, audiencePath, checkSasToken, type SasKey } from './sas';

const SESSION_FILTER = 'com.microsoft:session-filter';
const BATCH_FORMAT = 0x80013700;
const MAX_MESSAGE_SIZE = 256 * 1024;

interface Consumer {
  link: Sender;
  entity: QueueEntity;
  sessionId?: string;
  receiveAndDelete: boolean;
  /** Deliveries handed to rhea that it has not transferred yet: rhea takes credit only when it transfers. */
  unsent: Delivery[];
}

interface PendingAccept {
  link: Sender;
  entity: QueueEntity;
  receiveAndDelete: boolean;
  timer: NodeJS.Timeout;
}

interface ConnectionState {
  /** Entity paths (lower case) the connection holds a token for → token expiry (ms). */
  grants: Map<string, number>;
  /** Holder of locks taken through $management (receive-by-sequence-number). */
  holder: object;
  /** The client's $cbs/$management receivers by link name (requests name them in reply_to). */
  replyLinks: Map<string, Sender>;
}

type Role =
  { kind: 'cbs' } | { kind: 'management'; entityPath: string } | { kind: 'entity'; entity: QueueEntity };

export interface AmqpServerOptions {
  host: string;
  /** Endpoint host used in error texts, as Service Bus names the namespace there. */
  displayHost?: string;
  port: number;
  sasKey: SasKey;
  log: RequestLog;
}

export class AmqpServer {
  readonly #container: Container = create_container({ id: 'tenure-servicebus-emulator' });
  #server?: Server;
  readonly #connections = new Map<Connection, ConnectionState>();
  readonly #roles = new Map<Receiver, Role>();
  readonly #consumers = new Map<Sender, Consumer>();
  readonly #pending = new Set<PendingAccept>();
  readonly #deliveryTokens = new WeakMap<Delivery, { token: string; entity: QueueEntity }>();
  readonly #pumpQueued = new Set<QueueEntity>();

  constructor(
    readonly namespace: Namespace,
    readonly options: AmqpServerOptions,
  ) {
    namespace.onEntity = (entity) => {
      entity.onAvailable = () => this.#schedulePump(entity);
    };
    for (const q of namespace.queues()) {
      namespace.onEntity(q);
      namespace.onEntity(q.deadLetter!);
    }
    namespace.onSessionExpired = ({ entity, session }) => {
      for (const c of this.#consumers.values())
        if (c.entity === entity && c.sessionId === session.id)
          this.#detach(c.link, {
            condition: 'com.microsoft:session-lock-lost',
            description: `The session lock has expired on the MessageSession. Session id: ${session.id}.`,
          });
      if (session.holder) entity.releaseSession(session.id, session.holder);
    };
    this.#wire();
  }

  async listen(): Promise<number> {
    const server = this.#container.listen({
      host: this.options.host,
      port: this.options.port,
      treat_modified_as_released: false,
    } as unknown as Parameters<Container['listen']>[0]) as unknown as Server;
    this.#server = server;
    // Request/response (CBS, $management) is one small frame each way: without this, Nagle's algorithm and delayed
    // ACKs add ~40 ms to every round trip.
    server.on('connection', (socket: Socket) => socket.setNoDelay(true));
    await new Promise<void>((resolve, reject) => {
      if (server.listening) return resolve();
      server.once('listening', () => resolve());
      server.once('error', reject);
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const p of this.#pending) clearTimeout(p.timer);
    for (const c of this.#connections.keys()) {
      try {
        c.close();
      } catch {
        // already gone
      }
    }
    const server = this.#server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const c of this.#connections.keys())
      (c as unknown as { socket?: { destroy(): void } }).socket?.destroy();
  }

  /** Closes every link attached to an entity (queue deleted at run time). */
  detachEntity(entity: QueueEntity): void {
    const gone = {
      condition: 'amqp:not-found',
      description: `The messaging entity '${entity.path}' could not be found.`,
    };
    for (const c of [...this.#consumers.values()])
      if (c.entity === entity || c.entity === entity.deadLetter) this.#detach(c.link, gone);
    for (const [link, role] of [...this.#roles])
      if (role.kind === 'entity' && role.entity === entity) this.#detach(link, gone);
  }

  #entityNotFound(path: string): AmqpErrorInfo {
    return {
      condition: 'amqp:not-found',
      description: `The messaging entity 'sb://${this.options.displayHost ?? this.options.host}/${path}' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions.`,
    };
  }

  #state(connection: Connection): ConnectionState {
    let s = this.#connections.get(connection);
    if (!s) {
      s = { grants: new Map(), holder: {}, replyLinks: new Map() };
      this.#connections.set(connection, s);
    }
    return s;
  }

  #authorized(connection: Connection, entityPath: string): boolean {
    const now = Date.now();
    for (const [granted, expiresAt] of this.#state(connection).grants)
      if (expiresAt > now && audienceCovers(granted, entityPath)) return true;
    return false;
  }

  #wire(): void {
    const c = this.#container;
    c.on('connection_open', (ctx: EventContext) => void this.#state(ctx.connection));
    const forget = (ctx: EventContext): void => this.#forgetConnection(ctx.connection);
    c.on('connection_close', forget);
    c.on('disconnected', forget);
    c.on('connection_error', () => undefined);
    c.on('error', () => undefined);
    c.on('receiver_open', (ctx: EventContext) => this.#onClientSender(ctx.receiver!));
    c.on('sender_open', (ctx: EventContext) => this.#onClientReceiver(ctx.sender!));
    c.on('message', (ctx: EventContext) => this.#onMessage(ctx));
    c.on('sendable', (ctx: EventContext) => this.#pumpConsumer(ctx.sender!));
    // A drain ends a receive: answer it by consuming the credit, without sending, so the client sees "drained"
    // (rhea only flags drain on a flow while credit remains) and no message lands after its receive is over.
    c.on('sender_draining', (ctx: EventContext) => {
      const sender = ctx.sender!;
      if ((sender as unknown as { credit: number }).credit > 0) sender.set_drained(true);
    });
    for (const outcome of ['accepted', 'released', 'modified', 'rejected'] as const)
      c.on(outcome, (ctx: EventContext) => this.#onSettle(ctx, outcome));
    c.on('sender_close', (ctx: EventContext) => this.#forgetSender(ctx.sender!));
    c.on('receiver_close', (ctx: EventContext) => void this.#roles.delete(ctx.receiver!));
    c.on('session_close', (ctx: EventContext) => {
      for (const l of [...this.#consumers.keys()]) if (l.session === ctx.session) this.#forgetSender(l);
    });
  }

  #forgetConnection(connection: Connection): void {
    if (!this.#connections.has(connection)) return;
    this.#connections.delete(connection);
    for (const l of [...this.#consumers.keys()]) if (l.connection === connection) this.#forgetSender(l);
    for (const p of [...this.#pending]) if (p.link.connection === connection) this.#dropPending(p);
    for (const r of [...this.#roles.keys()]) if (r.connection === connection) this.#roles.delete(r);
  }

  // ----- attach -----

  /** The client attached a sender: we receive on $cbs, on $management, or into a queue. */
  #onClientSender(link: Receiver): void {
    const address = String((link.target as { address?: string } | undefined)?.address ?? '');
    link.set_target({ address });
    if (address === '$cbs') return void this.#roles.set(link, { kind: 'cbs' });
    const mgmt = /^(.*)\/\$management$/i.exec(address);
    if (mgmt) {
      const entityPath = mgmt[1]!;
      if (!this.namespace.resolve(entityPath)) return this.#detach(link, this.#entityNotFound(entityPath));
      if (!this.#authorized(link.connection, address))
        return this.#detach(link, unauthorized(address, 'Manage, Listen or Send'));
      return void this.#roles.set(link, { kind: 'management', entityPath });
    }
    const entity = this.namespace.resolve(address);
    if (!entity) return this.#detach(link, this.#entityNotFound(address));
    if (entity.isDeadLetter)
      return this.#detach(link, {
        condition: 'amqp:not-allowed',
        description: 'Messages cannot be sent to a dead-letter queue.',
      });
    if (!this.#authorized(link.connection, address)) return this.#detach(link, unauthorized(address, 'Send'));
    (link as unknown as { local: { attach: { max_message_size: number } } }).local.attach.max_message_size =
      MAX_MESSAGE_SIZE;
    this.#roles.set(link, { kind: 'entity', entity });
  }

  /** The client attached a receiver: reply link ($cbs/$management) or a consumer of a queue or session. */
  #onClientReceiver(link: Sender): void {
    const source = (link.source as { address?: string; filter?: Record<string, unknown> } | undefined) ?? {};
    const address = String(source.address ?? '');
    const remote = (link as unknown as { remote: { attach: Record<string, unknown> } }).remote.attach;
    const local = (link as unknown as { local: { attach: Record<string, unknown> } }).local.attach;
    local.snd_settle_mode = remote.snd_settle_mode;
    local.rcv_settle_mode = remote.rcv_settle_mode;
    if (address === '$cbs' || /\/\$management$/i.test(address)) {
      link.set_source({ address });
      local.snd_settle_mode = 1; // replies go pre-settled: nothing to wait for, nothing left in rhea's window
      this.#state(link.connection).replyLinks.set(link.name, link);
      return;
    }
    const entity = this.namespace.resolve(address);
    if (!entity) return this.#detach(link, this.#entityNotFound(address));
    if (!this.#authorized(link.connection, address))
      return this.#detach(link, unauthorized(address, 'Listen'));
    const receiveAndDelete = remote.snd_settle_mode === 1;
    const hasFilter =
      source.filter !== undefined && source.filter !== null && SESSION_FILTER in source.filter;
    if (!entity.requiresSession) {
      if (hasFilter)
        return this.#detach(link, {
          condition: 'amqp:not-allowed',
          description: `It is not possible for an entity that requires sessions to create a non-sessionful message receiver... The entity ${entity.path} does not require sessions.`,
        });
      link.set_source({ address });
      this.#consumers.set(link, { link, entity, receiveAndDelete, unsent: [] });
      return;
    }
    if (!hasFilter)
      return this.#detach(link, {
        condition: 'amqp:not-allowed',
        description: `It is not possible for an entity that requires sessions to create a non-sessionful message receiver. Entity: ${entity.path}.`,
      });
    const wanted = source.filter![SESSION_FILTER];
    const sessionId = wanted === undefined || wanted === null ? undefined : String(wanted);
    const session = entity.acceptSession(sessionId, link, Date.now());
    if (session) return this.#grantSession(link, entity, session.id, session.lockedUntil, receiveAndDelete);
    if (sessionId !== undefined)
      return this.#detach(link, {
        condition: 'com.microsoft:session-cannot-be-locked',
        description: `The requested session '${sessionId}' cannot be accepted. It may be locked by another receiver.`,
      });
    // Next available session: hold the attach until a session has messages or the server timeout passes.
    this.#holdAttach(link);
    const properties = (remote.properties as Record<string, unknown> | undefined) ?? {};
    const timeoutMs = Math.max(0, Number(properties['com.microsoft:timeout'] ?? 60_000));
    const pending: PendingAccept = {
      link,
      entity,
      receiveAndDelete,
      timer: setTimeout(() => {
        this.#pending.delete(pending);
        link.set_source({ address });
        this.#releaseAttach(link);
        this.#detach(link, {
          condition: 'com.microsoft:timeout',
          description:
            'The operation did not complete within the allocated time for an unlocked session to become available.',
        });
      }, timeoutMs),
    };
    this.#pending.add(pending);
  }

  #grantSession(
    link: Sender,
    entity: QueueEntity,
    sessionId: string,
    lockedUntil: number,
    receiveAndDelete: boolean,
  ): void {
    const address = String((link.source as { address?: string } | undefined)?.address ?? entity.path);
    link.set_source({ address, filter: { [SESSION_FILTER]: sessionId } });
    const local = (link as unknown as { local: { attach: Record<string, unknown> } }).local.attach;
    local.properties = { 'com.microsoft:locked-until-utc': ticks(lockedUntil) };
    this.#consumers.set(link, { link, entity, sessionId, receiveAndDelete, unsent: [] });
  }

  /** rhea answers an attach as soon as it arrives; for next-available sessions Service Bus answers later. */
  #holdAttach(link: Sender): void {
    const state = (link as unknown as { state: { local_open: boolean; open_requests: number } }).state;
    state.local_open = false;
    state.open_requests = 0;
  }

  #releaseAttach(link: Sender): void {
    link.open();
  }

  #dropPending(p: PendingAccept): void {
    clearTimeout(p.timer);
    this.#pending.delete(p);
  }

  #servePending(entity: QueueEntity): void {
    for (const p of [...this.#pending]) {
      if (p.entity !== entity) continue;
      const session = entity.acceptSession(undefined, p.link, Date.now());
      if (!session) return;
      this.#dropPending(p);
      this.#grantSession(p.link, entity, session.id, session.lockedUntil, p.receiveAndDelete);
      this.#releaseAttach(p.link);
    }
  }

  #detach(link: Sender | Receiver, error: AmqpErrorInfo): void {
    if (link.is_sender()) this.#forgetSender(link as Sender);
    else this.#roles.delete(link as Receiver);
    link.close(error as unknown as Parameters<Sender['close']>[0]);
  }

  #forgetSender(link: Sender): void {
    const consumer = this.#consumers.get(link);
    for (const p of [...this.#pending]) if (p.link === link) this.#dropPending(p);
    if (!consumer) return;
    this.#consumers.delete(link);
    if (consumer.sessionId !== undefined) consumer.entity.releaseSession(consumer.sessionId, link);
  }

  // ----- incoming messages -----

  #onMessage(ctx: EventContext): void {
    const link = ctx.receiver!;
    const delivery = ctx.delivery!;
    const role = this.#roles.get(link);
    if (!role)
      return delivery.update(
        true,
        rejected({ condition: 'amqp:not-allowed', description: 'Link is not attached.' }),
      );
    if (role.kind === 'cbs') return this.#putToken(ctx);
    if (role.kind === 'management') return this.#management(ctx, role.entityPath);
    const entity = role.entity;
    const messages = this.#unbatch(ctx);
    const now = this.namespace.clock.now();
    if (entity.requiresSession && messages.some((m) => m.group_id === undefined || m.group_id === null))
      return delivery.update(
        true,
        rejected({ condition: 'amqp:not-allowed', description: sessionIdMissing(entity) }),
      );
    for (const m of messages) {
      const at = (m.message_annotations as Record<string, unknown> | undefined)?.[
        'x-opt-scheduled-enqueue-time'
      ];
      entity.enqueue(m, now, at instanceof Date ? at.getTime() : undefined);
    }
    this.options.log.record({
      service: 'servicebus',
      method: 'SEND',
      path: entity.path,
      query: '',
      status: 200,
      durationMs: 0,
      detail: `${messages.length} message(s)`,
    });
    delivery.update(true, accepted());
  }

  /** A batch (message format 0x80013700) carries each message encoded in its own data section. */
  #unbatch(ctx: EventContext): RheaMessage[] {
    const format = (ctx as unknown as { format?: number }).format ?? ctx.delivery?.format ?? 0;
    if (format !== BATCH_FORMAT) return [ctx.message!];
    const envelope = rheaMessage.decode(ctx.message as unknown as Buffer);
    const body = envelope.body as { content?: Buffer | Buffer[]; multiple?: boolean } | undefined;
    const parts =
      body?.content === undefined
        ? []
        : body.multiple
          ? (body.content as Buffer[])
          : [body.content as Buffer];
    return parts.map((p) => rheaMessage.decode(p) as unknown as RheaMessage);
  }

  #reply(
    connection: Connection,
    request: RheaMessage,
    applicationProperties: Record<string, unknown>,
    body?: unknown,
  ): void {
    const replyTo = String(request.reply_to ?? '');
    const target = this.#state(connection).replyLinks.get(replyTo);
    if (!target || !target.is_open()) return;
    target.send({
      to: replyTo,
      correlation_id: request.message_id,
      application_properties: applicationProperties,
      body: body === undefined ? null : body,
    } as RheaMessage);
  }

  #putToken(ctx: EventContext): void {
    const request = ctx.message!;
    const props = (request.application_properties as Record<string, unknown> | undefined) ?? {};
    ctx.delivery!.update(true, accepted());
    let status = 202;
    let description = 'Accepted';
    if (props.operation !== 'put-token') {
      status = 400;
      description = `Unsupported $cbs operation ${String(props.operation)}.`;
    } else {
      const check = checkSasToken(String(request.body ?? ''), this.options.sasKey, Date.now());
      const requested = audiencePath(String(props.name ?? ''));
      if (!check.ok) {
        status = 401;
        description = check.reason;
      } else if (!audienceCovers(audiencePath(check.audience), requested)) {
        status = 401;
        description = 'InvalidAudience: The token audience does not match the requested resource.';
      } else {
        this.#state(ctx.connection).grants.set(requested, check.expiresAt);
      }
    }
    this.options.log.record({
      service: 'servicebus',
      method: 'PUT-TOKEN',
      path: '$cbs',
      query: '',
      status,
      durationMs: 0,
    });
    this.#reply(ctx.connection, request, { 'status-code': status, 'status-description': description });
  }

  #management(ctx: EventContext, entityPath: string): void {
    const request = ctx.message!;
    ctx.delivery!.update(true, accepted());
    const props = (request.application_properties as Record<string, unknown> | undefined) ?? {};
    const operation = String(props.operation ?? '');
    const entity = this.namespace.resolve(entityPath);
    const answer = entity
      ? handleManagement(
          entity,
          operation,
          (request.body as Record<string, unknown>) ?? {},
          this.#state(ctx.connection).holder,
          this.namespace.clock.now(),
        )
      : {
          status: 404,
          condition: 'amqp:not-found',
          description: `The messaging entity '${entityPath}' could not be found.`,
        };
    this.options.log.record({
      service: 'servicebus',
      method: 'MANAGE',
      path: entityPath,
      query: '',
      status: answer.status,
      durationMs: 0,
      detail: operation,
    });
    const appProps: Record<string, unknown> = { statusCode: answer.status };
    if (answer.description) appProps.statusDescription = answer.description;
    if (answer.condition) appProps.errorCondition = answer.condition;
    this.#reply(ctx.connection, request, appProps, answer.body);
  }

  // ----- delivery -----

  #schedulePump(entity: QueueEntity): void {
    if (this.#pumpQueued.has(entity)) return;
    this.#pumpQueued.add(entity);
    setImmediate(() => {
      this.#pumpQueued.delete(entity);
      if (entity.requiresSession) this.#servePending(entity);
      for (const c of this.#consumers.values()) if (c.entity === entity) this.#pumpConsumer(c.link);
    });
  }

  #pumpConsumer(link: Sender): void {
    const c = this.#consumers.get(link);
    if (!c || !link.is_open() || (link as unknown as { _draining?: boolean })._draining) return;
    const outgoing = (link as unknown as { session: { outgoing: { next_pending_delivery: number } } }).session
      .outgoing;
    c.unsent = c.unsent.filter((d) => d.id >= outgoing.next_pending_delivery);
    while ((link as unknown as { credit: number }).credit - c.unsent.length > 0 && link.sendable()) {
      const m = c.entity.next(c.sessionId);
      if (!m) return;
      if (c.receiveAndDelete) {
        c.entity.take(m);
        c.unsent.push(link.send(outgoingMessage(m, m.deliveryCount - 1)));
        continue;
      }
      const nowReal = Date.now();
      const lock = c.entity.lock(m, link, nowReal);
      if (c.sessionId !== undefined) {
        const session = c.entity.heldSession(c.sessionId, nowReal, link);
        if (session) lock.lockedUntil = session.lockedUntil;
      }
      const delivery = link.send(
        outgoingMessage(m, m.deliveryCount - 1, lock.lockedUntil),
        lockTokenToTag(lock.token),
      );
      this.#deliveryTokens.set(delivery, { token: lock.token, entity: c.entity });
      c.unsent.push(delivery);
    }
  }

  #settle(delivery: Delivery, outcome: unknown): void {
    settleOutgoing(delivery, outcome);
  }

  #onSettle(ctx: EventContext, outcome: 'accepted' | 'released' | 'modified' | 'rejected'): void {
    const delivery = ctx.delivery!;
    if (!ctx.sender || delivery.settled) return;
    const known = this.#deliveryTokens.get(delivery);
    const token = known?.token ?? tagToLockToken(delivery.tag);
    const entity = known?.entity ?? this.#consumers.get(ctx.sender)?.entity;
    if (!entity) return this.#settle(delivery, accepted());
    const nowReal = Date.now();
    const state = (delivery.remote_state ?? {}) as {
      undeliverable_here?: boolean;
      message_annotations?: Record<string, unknown>;
      error?: { condition?: string; info?: Record<string, unknown> };
    };
    let result: SettleResult;
    if (outcome === 'accepted') result = entity.complete(token, nowReal);
    else if (outcome === 'released') result = entity.abandon(token, nowReal);
    else if (outcome === 'modified')
      result = state.undeliverable_here
        ? entity.defer(token, nowReal, state.message_annotations)
        : entity.abandon(token, nowReal, state.message_annotations);
    else {
      const info = { ...(state.error?.info ?? {}) };
      const reason = info.DeadLetterReason;
      const description = info.DeadLetterErrorDescription;
      delete info.DeadLetterReason;
      delete info.DeadLetterErrorDescription;
      result = entity.deadLetterByToken(
        token,
        nowReal,
        reason === undefined || reason === null ? undefined : String(reason),
        description === undefined || description === null ? undefined : String(description),
        info,
      );
    }
    if (result === 'ok') {
      // Echo the client's outcome, except a dead-letter (rejected) one: an error on our side would read as failure.
      const echoed =
        outcome === 'rejected'
          ? undefined
          : (delivery.remote_state as { described?: () => unknown } | undefined)?.described?.();
      return this.#settle(delivery, echoed ?? accepted());
    }
    this.#settle(
      delivery,
      rejected(
        entity.requiresSession
          ? {
              condition: 'com.microsoft:session-lock-lost',
              description: 'The session lock has expired on the MessageSession. Accept a new MessageSession.',
            }
          : {
              condition: 'com.microsoft:message-lock-lost',
              description:
                'The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.',
            },
      ),
    );
  }
}

/** Settles our end. In receiver-settles-second mode the client sends nothing after this, so rhea would keep the
 * delivery in its 2048-entry session window forever; marking it remotely settled lets rhea release it. */
function settleOutgoing(delivery: Delivery, outcome: unknown): void {
  delivery.update(true, outcome);
  (delivery as unknown as { remote_settled: boolean }).remote_settled = true;
}

function unauthorized(path: string, claims: string): AmqpErrorInfo {
  return {
    condition: 'amqp:unauthorized-access',
    description: `Unauthorized access. '${claims}' claim(s) are required to perform this operation. Resource: '${path}'.`,
  };
}
