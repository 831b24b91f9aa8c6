// Feeds Service Bus-triggered functions from a namespace (the emulator locally) with the Functions host's
// semantics: peek-lock; complete when the handler returns, abandon when it throws (the broker counts deliveries
// and dead-letters past maxDeliveryCount); at most maxConcurrentCalls messages at once for a plain queue; for a
// session queue, one session per worker, messages of a session one at a time in order, at most
// maxConcurrentSessions sessions at once, a session released after sessionIdleTimeout without messages; locks
// renewed by the SDK up to maxAutoLockRenewalDuration. stop() stops receiving and waits for running handlers.
import { randomUUID } from 'node:crypto';
import { InvocationContext, type LogLevel } from '@azure/functions';
import {
  ServiceBusClient,
  type ServiceBusReceivedMessage,
  type ServiceBusReceiver,
  type ServiceBusSessionReceiver,
} from '@azure/service-bus';
import { HOST_DEFAULTS } from './hostSettings';
import { batchMetadata, messageMetadata } from './triggerMetadata';
import {
  ServiceBusTriggerConfigError,
  type RunnerLog,
  type ServiceBusHostSettings,
  type ServiceBusTriggerRegistration,
  type ServiceBusTriggerRunnerOptions,
} from './types';

type Settler = Pick<ServiceBusReceiver, 'completeMessage' | 'abandonMessage'>;

const defaultLog: RunnerLog = (level, fn, ...args) => {
  const line = [`[${fn}]`, ...args];
  if (level === 'error' || level === 'critical') console.error(...line);
  else if (level === 'warning') console.warn(...line);
  else if (level !== 'trace' && level !== 'debug') console.log(...line);
};

/** The host hands Node a JSON body parsed and any other text body as a string (the SDK leaves non-JSON bytes raw). */
export function hostBody(body: unknown): unknown {
  return Buffer.isBuffer(body) ? body.toString('utf8') : body;
}

export class ServiceBusTriggerRunner {
  readonly #options: ServiceBusTriggerRunnerOptions;
  readonly #host: ServiceBusHostSettings;
  readonly #log: RunnerLog;
  readonly #pollMs: number;
  readonly #clients = new Map<string, ServiceBusClient>();
  readonly #loops: Promise<void>[] = [];
  readonly #closers: (() => Promise<void>)[] = [];
  readonly #abort = new AbortController();
  /** Sessions being drained: stop() waits for these, but not for accepts still waiting for a session. */
  readonly #draining = new Set<Promise<void>>();
  #started = false;
  #stopping = false;

  constructor(options: ServiceBusTriggerRunnerOptions) {
    this.#options = options;
    this.#host = { ...HOST_DEFAULTS, ...(options.host ?? {}) };
    this.#log = options.log ?? defaultLog;
    this.#pollMs = options.pollIntervalMs ?? 1000;
  }

  /** Resolves every connection first (a missing setting fails here, naming it), then starts receiving. */
  async start(): Promise<void> {
    if (this.#started)
      throw new ServiceBusTriggerConfigError('the Service Bus trigger runner is already started');
    this.#started = true;
    const plans = this.#options.registrations.map((reg) => ({ reg, client: this.#client(reg) }));
    for (const { reg, client } of plans) {
      const autoComplete = reg.autoCompleteMessages ?? this.#host.autoCompleteMessages;
      if (!autoComplete)
        this.#log(
          'warning',
          reg.name,
          'autoCompleteMessages is false: a Node handler cannot settle messages, so they are redelivered when their lock expires.',
        );
      if (reg.isSessionsEnabled) {
        for (let i = 0; i < this.#host.maxConcurrentSessions; i++)
          this.#loops.push(this.#sessionWorker(reg, client));
      } else if (reg.cardinality === 'many') {
        this.#loops.push(this.#batchLoop(reg, client));
      } else {
        this.#subscribe(reg, client);
      }
    }
  }

  /** Stops receiving, waits for running handlers and their settlement, then closes the connections. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#abort.abort();
    await Promise.allSettled(this.#closers.map((close) => close()));
    await Promise.allSettled([...this.#draining]);
    // Accepts still waiting end within the client's operation timeout; closing the connection under them would
    // leave the SDK waiting for an attach that never comes, so the clients close last.
    await Promise.allSettled(this.#loops);
    await Promise.allSettled([...this.#clients.values()].map((c) => c.close()));
  }

  #client(reg: ServiceBusTriggerRegistration): ServiceBusClient {
    const settings = this.#options.settings;
    const connectionString = settings[reg.connection] ?? settings[`AzureWebJobs${reg.connection}`];
    if (!connectionString) {
      const identityBased = settings[`${reg.connection}__fullyQualifiedNamespace`] !== undefined;
      throw new ServiceBusTriggerConfigError(
        identityBased
          ? `${reg.name}: ${reg.connection} is identity-based (__fullyQualifiedNamespace); the dev host needs a connection string setting named ${reg.connection}`
          : `${reg.name}: the app setting ${reg.connection} (the trigger's connection) is not set`,
      );
    }
    let client = this.#clients.get(connectionString);
    if (!client) {
      // The SDK hands its operation timeout to the namespace as the wait for a next available session, and neither
      // abort nor close ends that wait early: a short timeout keeps stop() prompt (idle workers simply ask again).
      client = new ServiceBusClient(connectionString, {
        retryOptions: { maxRetries: 0, timeoutInMs: Math.max(2000, 2 * this.#pollMs) },
      });
      this.#clients.set(connectionString, client);
    }
    return client;
  }

  #context(reg: ServiceBusTriggerRegistration, triggerMetadata: Record<string, unknown>): InvocationContext {
    return new InvocationContext({
      functionName: reg.name,
      invocationId: randomUUID(),
      triggerMetadata,
      logHandler: (level: LogLevel, ...args: unknown[]) => this.#log(level, reg.name, ...args),
      options: {
        trigger: {
          type: 'serviceBusTrigger',
          name: 'message',
          direction: 'in',
          queueName: reg.queueName,
          connection: reg.connection,
          isSessionsEnabled: reg.isSessionsEnabled === true,
          cardinality: reg.cardinality ?? 'one',
        },
        extraInputs: [],
        extraOutputs: [],
      },
    });
  }

  /** Runs the handler and settles as the host does: complete on return, abandon on throw. */
  async #invoke(
    reg: ServiceBusTriggerRegistration,
    settler: Settler,
    messages: ServiceBusReceivedMessage[],
    sessionId?: string,
  ): Promise<void> {
    const many = reg.cardinality === 'many';
    const context = this.#context(
      reg,
      many ? batchMetadata(messages, sessionId) : messageMetadata(messages[0]!),
    );
    const autoComplete = reg.autoCompleteMessages ?? this.#host.autoCompleteMessages;
    let failed = false;
    try {
      await reg.handler(many ? messages.map((m) => hostBody(m.body)) : hostBody(messages[0]!.body), context);
    } catch (error) {
      failed = true;
      this.#log(
        'error',
        reg.name,
        `Executed '${reg.name}' (Failed, Id=${context.invocationId}):`,
        error instanceof Error ? error.message : String(error),
      );
    }
    if (!autoComplete) return;
    for (const m of messages) {
      try {
        if (failed) await settler.abandonMessage(m);
        else await settler.completeMessage(m);
      } catch (error) {
        this.#log(
          'warning',
          reg.name,
          `could not ${failed ? 'abandon' : 'complete'} message ${String(m.messageId)}:`,
          error instanceof Error ? error.message : String(error),
        );
      }
    }
  }

  /** Plain queue, one message per invocation: the SDK's streaming receiver bounded by maxConcurrentCalls. */
  #subscribe(reg: ServiceBusTriggerRegistration, client: ServiceBusClient): void {
    const receiver = client.createReceiver(reg.queueName, {
      maxAutoLockRenewalDurationInMs: this.#host.maxAutoLockRenewalDurationMs,
    });
    const inFlight = new Set<Promise<void>>();
    const subscription = receiver.subscribe(
      {
        processMessage: async (m) => {
          const run = this.#invoke(reg, receiver, [m]);
          inFlight.add(run);
          try {
            await run;
          } finally {
            inFlight.delete(run);
          }
        },
        processError: async (args) => {
          if (!this.#stopping)
            this.#log('warning', reg.name, `receive error (${args.errorSource}):`, args.error.message);
        },
      },
      { autoCompleteMessages: false, maxConcurrentCalls: this.#host.maxConcurrentCalls },
    );
    this.#closers.push(async () => {
      await subscription.close();
      await Promise.allSettled([...inFlight]);
      await receiver.close();
    });
  }

  /** Plain queue, `cardinality: 'many'`: batches of up to maxMessageBatchSize, one batch at a time. */
  async #batchLoop(reg: ServiceBusTriggerRegistration, client: ServiceBusClient): Promise<void> {
    const receiver = client.createReceiver(reg.queueName, {
      maxAutoLockRenewalDurationInMs: this.#host.maxAutoLockRenewalDurationMs,
    });
    try {
      while (!this.#stopping) {
        let batch: ServiceBusReceivedMessage[];
        try {
          batch = await receiver.receiveMessages(this.#host.maxMessageBatchSize, {
            maxWaitTimeInMs: this.#pollMs,
          });
        } catch (error) {
          if (!this.#stopping) await this.#pause(reg, error);
          continue;
        }
        if (batch.length) await this.#invoke(reg, receiver, batch);
      }
    } finally {
      await receiver.close().catch(() => undefined);
    }
  }

  /** One of maxConcurrentSessions workers: accept the next session, drain it in order, release it when idle. */
  async #sessionWorker(reg: ServiceBusTriggerRegistration, client: ServiceBusClient): Promise<void> {
    while (!this.#stopping) {
      let receiver: ServiceBusSessionReceiver;
      try {
        // The namespace holds the accept until some session has messages (or its timeout passes); stop() aborts it.
        receiver = await client.acceptNextSession(reg.queueName, {
          maxAutoLockRenewalDurationInMs: this.#host.maxAutoLockRenewalDurationMs,
          abortSignal: this.#abort.signal,
        });
      } catch (error) {
        const code = (error as { code?: string; name?: string }).code ?? (error as { name?: string }).name;
        if (
          this.#stopping ||
          code === 'ServiceTimeout' ||
          code === 'SessionCannotBeLocked' ||
          code === 'AbortError'
        )
          continue;
        await this.#pause(reg, error);
        continue;
      }
      const draining = this.#drainSession(reg, receiver).finally(() =>
        receiver.close().catch(() => undefined),
      );
      this.#draining.add(draining);
      try {
        await draining;
      } finally {
        this.#draining.delete(draining);
      }
    }
  }

  async #drainSession(
    reg: ServiceBusTriggerRegistration,
    receiver: ServiceBusSessionReceiver,
  ): Promise<void> {
    const batchSize = reg.cardinality === 'many' ? this.#host.maxMessageBatchSize : 1;
    let idleSince = Date.now();
    while (!this.#stopping) {
      const waitMs = Math.max(
        50,
        Math.min(this.#pollMs, this.#host.sessionIdleTimeoutMs - (Date.now() - idleSince)),
      );
      let messages: ServiceBusReceivedMessage[];
      try {
        messages = await receiver.receiveMessages(batchSize, { maxWaitTimeInMs: waitMs });
      } catch (error) {
        if (!this.#stopping)
          this.#log('warning', reg.name, `session ${receiver.sessionId} ended:`, (error as Error).message);
        return;
      }
      if (messages.length === 0) {
        if (Date.now() - idleSince >= this.#host.sessionIdleTimeoutMs) return;
        continue;
      }
      await this.#invoke(reg, receiver, messages, receiver.sessionId);
      idleSince = Date.now();
    }
  }

  async #pause(reg: ServiceBusTriggerRegistration, error: unknown): Promise<void> {
    this.#log(
      'warning',
      reg.name,
      'Service Bus receive failed, retrying:',
      error instanceof Error ? error.message : String(error),
    );
    await new Promise((r) => setTimeout(r, this.#pollMs));
  }
}
