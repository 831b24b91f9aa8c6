// The dev host's Service Bus trigger runner against the emulator: host semantics (complete/abandon, delivery
// count, dead-lettering by the broker), sessions in order, concurrency limits, graceful stop, batches.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InvocationContext } from '@azure/functions';
import { ServiceBusTriggerRunner, type ServiceBusTriggerRegistration } from '../../../devhost/serviceBus';
import { sleep, startHarness, type ServiceBusHarness } from '../../emulator/servicebus/harness';

async function until(condition: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const quiet = (): undefined => undefined;

describe('dev host Service Bus trigger runner', () => {
  let h: ServiceBusHarness;
  const settings = (): Record<string, string> => ({ ServiceBusConnection: h.connectionString });
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('completes on return, abandons on throw, and the broker dead-letters after maxDeliveryCount', async () => {
    const q = h.queue({ maxDeliveryCount: 3 });
    const seen: { body: unknown; meta: Record<string, unknown>; fn: string }[] = [];
    const reg: ServiceBusTriggerRegistration = {
      name: 'processHrEvent',
      queueName: q,
      connection: 'ServiceBusConnection',
      handler: (body: unknown, ctx: InvocationContext) => {
        seen.push({ body, meta: ctx.triggerMetadata as Record<string, unknown>, fn: ctx.functionName });
        if ((body as { id?: string }).id === 'boom') throw new Error('poison');
      },
    };
    const runner = new ServiceBusTriggerRunner({ registrations: [reg], settings: settings(), log: quiet });
    await runner.start();
    const sender = h.client.createSender(q);
    await sender.sendMessages([
      {
        body: { id: 'ok-1' },
        messageId: 'm-ok-1',
        applicationProperties: { tenant: 'contoso' },
        correlationId: 'corr',
      },
      { body: { id: 'boom' }, messageId: 'm-boom' },
      { body: { id: 'ok-2' }, messageId: 'm-ok-2' },
      { body: Buffer.from('plain text, not JSON'), messageId: 'm-text' },
    ]);
    const queue = h.namespace.queue(q)!;
    await until(
      () => queue.messages.size === 0 && queue.deadLetter!.messages.size === 1,
      15_000,
      'queue drained',
    );
    await runner.stop();
    assert.deepEqual(
      seen.filter((s) => s.meta.messageId === 'm-text').map((s) => s.body),
      ['plain text, not JSON'],
      'a text body arrives as a string, as the host passes it',
    );
    const ok1 = seen.filter((s) => (s.body as { id: string }).id === 'ok-1');
    assert.equal(ok1.length, 1, 'a completed message is not redelivered');
    assert.equal(ok1[0]!.fn, 'processHrEvent');
    assert.equal(ok1[0]!.meta.deliveryCount, 1, 'the host counts the current delivery');
    assert.equal(ok1[0]!.meta.messageId, 'm-ok-1');
    assert.equal(ok1[0]!.meta.correlationId, 'corr');
    assert.equal(typeof ok1[0]!.meta.sequenceNumber, 'number');
    assert.match(String(ok1[0]!.meta.enqueuedTimeUtc), /^\d{4}-\d{2}-\d{2}T/);
    assert.deepEqual(ok1[0]!.meta.applicationProperties, { tenant: 'contoso' });
    assert.deepEqual(ok1[0]!.meta.userProperties, { tenant: 'contoso' });
    const boom = seen
      .filter((s) => (s.body as { id: string }).id === 'boom')
      .map((s) => s.meta.deliveryCount);
    assert.deepEqual(boom, [1, 2, 3]);
    const [dead] = [...queue.deadLetter!.messages.values()];
    assert.equal(dead!.messageId, 'm-boom');
    assert.equal(dead!.message.application_properties?.DeadLetterReason, 'MaxDeliveryCountExceeded');
  });

  it('delivers each session in order, one message at a time per session, sessions in parallel', async () => {
    const q = h.queue({ requiresSession: true });
    const order = new Map<string, number[]>();
    const active = new Set<string>();
    let maxParallel = 0;
    let overlapInSession = false;
    const runner = new ServiceBusTriggerRunner({
      registrations: [
        {
          name: 'sessions',
          queueName: q,
          connection: 'ServiceBusConnection',
          isSessionsEnabled: true,
          handler: async (body: unknown, ctx: InvocationContext) => {
            const sid = String(ctx.triggerMetadata?.sessionId);
            if (active.has(sid)) overlapInSession = true;
            active.add(sid);
            maxParallel = Math.max(maxParallel, active.size);
            await sleep(Math.floor(Math.random() * 15));
            order.set(sid, [...(order.get(sid) ?? []), (body as { n: number }).n]);
            active.delete(sid);
          },
        },
      ],
      settings: settings(),
      host: { maxConcurrentSessions: 4, sessionIdleTimeoutMs: 300 },
      pollIntervalMs: 200,
      log: quiet,
    });
    await runner.start();
    const sender = h.client.createSender(q);
    const sessions = ['t1', 't2', 't3', 't4'];
    const batch = [];
    for (let n = 0; n < 8; n++) for (const s of sessions) batch.push({ body: { n }, sessionId: s });
    await sender.sendMessages(batch);
    await until(
      () => sessions.every((s) => (order.get(s)?.length ?? 0) === 8),
      20_000,
      'all sessions processed',
    );
    await runner.stop();
    for (const s of sessions)
      assert.deepEqual(order.get(s), [0, 1, 2, 3, 4, 5, 6, 7], `session ${s} in order`);
    assert.equal(overlapInSession, false, 'never two invocations of one session at once');
    assert.ok(maxParallel > 1, `sessions ran in parallel (max ${maxParallel})`);
  });

  it('holds a session behind its poison message until the broker dead-letters it, then goes on in order', async () => {
    const q = h.queue({ requiresSession: true, maxDeliveryCount: 2 });
    const seen: string[] = [];
    const runner = new ServiceBusTriggerRunner({
      registrations: [
        {
          name: 'poisoned',
          queueName: q,
          connection: 'ServiceBusConnection',
          isSessionsEnabled: true,
          handler: (body: unknown, ctx: InvocationContext) => {
            seen.push(`${String(body)}#${String(ctx.triggerMetadata?.deliveryCount)}`);
            if (body === 'bad') throw new Error('cannot apply');
          },
        },
      ],
      settings: settings(),
      host: { maxConcurrentSessions: 1, sessionIdleTimeoutMs: 300 },
      pollIntervalMs: 200,
      log: quiet,
    });
    await runner.start();
    await h.client
      .createSender(q)
      .sendMessages(['bad', 'after-1', 'after-2'].map((body) => ({ body, sessionId: 'w-7' })));
    await until(() => seen.length === 4, 10_000, 'four invocations');
    await runner.stop();
    assert.deepEqual(seen, ['bad#1', 'bad#2', 'after-1#1', 'after-2#1']);
    const dead = [...h.namespace.queue(q)!.deadLetter!.messages.values()];
    assert.deepEqual(
      dead.map((m) => [m.sessionId, m.message.application_properties?.DeadLetterReason]),
      [['w-7', 'MaxDeliveryCountExceeded']],
    );
  });

  it('never runs more than maxConcurrentSessions sessions at once', async () => {
    const q = h.queue({ requiresSession: true });
    const active = new Set<string>();
    let maxActive = 0;
    let processed = 0;
    const runner = new ServiceBusTriggerRunner({
      registrations: [
        {
          name: 'limited',
          queueName: q,
          connection: 'ServiceBusConnection',
          isSessionsEnabled: true,
          handler: async (_body: unknown, ctx: InvocationContext) => {
            const sid = String(ctx.triggerMetadata?.sessionId);
            active.add(sid);
            maxActive = Math.max(maxActive, active.size);
            await sleep(40);
            active.delete(sid);
            processed++;
          },
        },
      ],
      settings: settings(),
      host: { maxConcurrentSessions: 2, sessionIdleTimeoutMs: 100 },
      pollIntervalMs: 100,
      log: quiet,
    });
    await runner.start();
    const batch = [];
    for (let s = 0; s < 6; s++) for (let n = 0; n < 3; n++) batch.push({ body: n, sessionId: `s${s}` });
    await h.client.createSender(q).sendMessages(batch);
    await until(() => processed === 18, 20_000, '18 messages');
    await runner.stop();
    assert.equal(maxActive, 2);
  });

  it('never runs more than maxConcurrentCalls messages of a plain queue at once', async () => {
    const q = h.queue();
    let running = 0;
    let maxRunning = 0;
    let done = 0;
    const runner = new ServiceBusTriggerRunner({
      registrations: [
        {
          name: 'calls',
          queueName: q,
          connection: 'ServiceBusConnection',
          handler: async () => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            await sleep(50);
            running--;
            done++;
          },
        },
      ],
      settings: settings(),
      host: { maxConcurrentCalls: 3 },
      log: quiet,
    });
    await runner.start();
    await h.client.createSender(q).sendMessages(Array.from({ length: 12 }, (_, i) => ({ body: i })));
    await until(() => done === 12, 15_000, '12 messages');
    await runner.stop();
    assert.equal(maxRunning, 3);
    assert.equal(h.namespace.queue(q)!.messages.size, 0);
  });

  it('stop() waits for a running handler and still completes its message', async () => {
    const q = h.queue();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = false;
    const runner = new ServiceBusTriggerRunner({
      registrations: [
        {
          name: 'slow',
          queueName: q,
          connection: 'ServiceBusConnection',
          handler: async () => {
            started = true;
            await gate;
          },
        },
      ],
      settings: settings(),
      log: quiet,
    });
    await runner.start();
    await h.client.createSender(q).sendMessages({ body: 'slow' });
    await until(() => started, 10_000, 'handler start');
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await sleep(200);
    assert.equal(stopped, false, 'stop waits for the handler');
    release();
    await stopping;
    assert.equal(
      h.namespace.queue(q)!.messages.size,
      0,
      'the message was completed before the runner stopped',
    );
  });

  it('renews the lock while a handler runs longer than the lock duration', { timeout: 30_000 }, async () => {
    const q = h.queue({ lockDuration: 'PT5S' });
    const deliveries: number[] = [];
    const runner = new ServiceBusTriggerRunner({
      registrations: [
        {
          name: 'long',
          queueName: q,
          connection: 'ServiceBusConnection',
          handler: async (_b: unknown, ctx: InvocationContext) => {
            deliveries.push(Number(ctx.triggerMetadata?.deliveryCount));
            await sleep(7000);
          },
        },
      ],
      settings: settings(),
      host: { maxAutoLockRenewalDurationMs: 60_000 },
      log: quiet,
    });
    await runner.start();
    await h.client.createSender(q).sendMessages({ body: 'slow work' });
    await until(() => deliveries.length === 1, 10_000, 'first delivery');
    await until(() => h.namespace.queue(q)!.messages.size === 0, 15_000, 'completion');
    await runner.stop();
    assert.deepEqual(deliveries, [1], 'the lock held: no second delivery while the handler ran');
  });

  it('passes a batch with *Array trigger metadata for cardinality many', async () => {
    const q = h.queue();
    const batches: { bodies: unknown[]; meta: Record<string, unknown> }[] = [];
    const runner = new ServiceBusTriggerRunner({
      registrations: [
        {
          name: 'batch',
          queueName: q,
          connection: 'ServiceBusConnection',
          cardinality: 'many',
          handler: (bodies: unknown, ctx: InvocationContext) => {
            batches.push({
              bodies: bodies as unknown[],
              meta: ctx.triggerMetadata as Record<string, unknown>,
            });
          },
        },
      ],
      settings: settings(),
      pollIntervalMs: 300,
      log: quiet,
    });
    await h.client.createSender(q).sendMessages([1, 2, 3].map((n) => ({ body: { n }, messageId: `b${n}` })));
    await runner.start();
    await until(() => batches.flatMap((b) => b.bodies).length === 3, 10_000, 'batch');
    await runner.stop();
    assert.deepEqual(
      batches.flatMap((b) => b.bodies),
      [{ n: 1 }, { n: 2 }, { n: 3 }],
    );
    assert.deepEqual(
      batches.flatMap((b) => b.meta.messageIdArray as string[]),
      ['b1', 'b2', 'b3'],
    );
    assert.deepEqual(
      batches.flatMap((b) => b.meta.deliveryCountArray as number[]),
      [1, 1, 1],
    );
    assert.equal(h.namespace.queue(q)!.messages.size, 0);
  });

  it('fails to start, naming the setting, when the connection setting is missing', async () => {
    const runner = new ServiceBusTriggerRunner({
      registrations: [
        { name: 'f', queueName: 'x', connection: 'MissingConnection', handler: () => undefined },
      ],
      settings: {},
      log: quiet,
    });
    await assert.rejects(runner.start(), (e: { code?: string; message?: string }) => {
      assert.equal(e.code, 'DEVHOST_SERVICEBUS_CONFIG_INVALID');
      assert.match(String(e.message), /MissingConnection/);
      return true;
    });
  });
});
