// The emulated Service Bus queue, driven by @azure/service-bus exactly as the product drives Azure.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import { sleep, startHarness, type ServiceBusHarness } from './harness';

describe('Service Bus emulator: queues', () => {
  let h: ServiceBusHarness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('round-trips a message with its properties and broker annotations', async () => {
    const q = h.queue();
    const sender = h.client.createSender(q);
    await sender.sendMessages({
      body: { workerId: 'w-1', action: 'hire' },
      messageId: 'm-1',
      correlationId: 'c-1',
      subject: 'worker',
      contentType: 'application/json',
      timeToLive: 60_000,
      applicationProperties: { tenant: 'contoso', attempt: 2 },
    });
    const receiver = h.client.createReceiver(q);
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    assert.ok(m);
    assert.deepEqual(m.body, { workerId: 'w-1', action: 'hire' });
    assert.equal(m.messageId, 'm-1');
    assert.equal(m.correlationId, 'c-1');
    assert.equal(m.subject, 'worker');
    assert.equal(m.contentType, 'application/json');
    assert.equal(m.timeToLive, 60_000);
    assert.deepEqual(m.applicationProperties, { tenant: 'contoso', attempt: 2 });
    assert.equal(m.deliveryCount, 0, 'the SDK shows prior delivery attempts: 0 on first receipt');
    assert.equal(Number(m.sequenceNumber), 1);
    assert.ok(m.enqueuedTimeUtc instanceof Date && Math.abs(m.enqueuedTimeUtc.getTime() - Date.now()) < 5000);
    assert.ok(m.lockToken && m.lockedUntilUtc && m.lockedUntilUtc.getTime() > Date.now() + 50_000);
    await receiver.completeMessage(m);
    assert.deepEqual(await receiver.peekMessages(10), []);
    await receiver.close();
    await sender.close();
  });

  it('assigns a message id when the sender gives none', async () => {
    const q = h.queue();
    await h.client.createSender(q).sendMessages({ body: 'x' });
    const [m] = await h.client
      .createReceiver(q, { receiveMode: 'receiveAndDelete' })
      .receiveMessages(1, { maxWaitTimeInMs: 2000 });
    assert.match(String(m?.messageId), /^[0-9a-f]{32}$/);
  });

  it('accepts a batch and delivers its messages in order', async () => {
    const q = h.queue();
    const sender = h.client.createSender(q);
    const batch = await sender.createMessageBatch();
    for (let i = 0; i < 5; i++) assert.ok(batch.tryAddMessage({ body: `m${i}`, sessionId: undefined }));
    await sender.sendMessages(batch);
    await sender.sendMessages([{ body: 'm5' }, { body: 'm6' }]);
    const receiver = h.client.createReceiver(q, { receiveMode: 'receiveAndDelete' });
    const got: unknown[] = [];
    while (got.length < 7) {
      const ms = await receiver.receiveMessages(10, { maxWaitTimeInMs: 1000 });
      if (ms.length === 0) break;
      got.push(...ms.map((m) => m.body));
    }
    assert.deepEqual(got, ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    assert.equal(h.namespace.queue(q)!.messages.size, 0, 'receive-and-delete removes on delivery');
  });

  it('holds scheduled messages until their time, on real time and on the emulator clock; cancel removes one', async () => {
    const q = h.queue();
    const sender = h.client.createSender(q);
    const [soon] = await sender.scheduleMessages(
      { body: 'soon' },
      new Date(h.emulator.context.state.clock.now() + 700),
    );
    const [later] = await sender.scheduleMessages(
      { body: 'later' },
      new Date(h.emulator.context.state.clock.now() + 3_600_000),
    );
    const [cancelled] = await sender.scheduleMessages(
      { body: 'cancelled' },
      new Date(h.emulator.context.state.clock.now() + 1_800_000),
    );
    assert.ok(Number(soon) > 0 && Number(later) > Number(soon));
    await sender.cancelScheduledMessages(cancelled!);
    const receiver = h.client.createReceiver(q);
    const peeked = await receiver.peekMessages(10);
    assert.deepEqual(
      peeked.map((m) => [m.body, m.state]),
      [
        ['soon', 'scheduled'],
        ['later', 'scheduled'],
      ],
    );
    assert.deepEqual(await receiver.receiveMessages(1, { maxWaitTimeInMs: 200 }), []);
    await sleep(800);
    const [first] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    assert.equal(first?.body, 'soon');
    await receiver.completeMessage(first!);
    h.emulator.context.state.clock.advance(3_600_000);
    const [second] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    assert.equal(second?.body, 'later', 'advancing the emulator clock releases due scheduled messages');
    await receiver.completeMessage(second!);
    await assert.rejects(
      sender.cancelScheduledMessages(cancelled!),
      (e: { code?: string }) => e.code === 'MessageNotFound',
    );
  });

  it('redelivers an abandoned message at once with deliveryCount + 1, then dead-letters it after maxDeliveryCount', async () => {
    const q = h.queue({ maxDeliveryCount: 3 });
    await h.client.createSender(q).sendMessages({ body: 'poison', messageId: 'p-1' });
    const receiver = h.client.createReceiver(q);
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
      assert.ok(m, `delivery ${i + 1}`);
      counts.push(m.deliveryCount!);
      await receiver.abandonMessage(m, { lastError: `attempt ${i}` });
    }
    assert.deepEqual(counts, [0, 1, 2]);
    assert.deepEqual(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 }), []);
    const dlq = h.client.createReceiver(q, { subQueueType: 'deadLetter' });
    const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    assert.equal(dead?.messageId, 'p-1');
    assert.equal(dead?.deadLetterReason, 'MaxDeliveryCountExceeded');
    assert.match(String(dead?.deadLetterErrorDescription), /3 delivery attempts/);
    assert.equal(dead?.applicationProperties?.lastError, 'attempt 2', 'abandon keeps properties to modify');
    await dlq.completeMessage(dead!);
  });

  it('dead-letters explicitly with reason and description, readable from the dead-letter queue', async () => {
    const q = h.queue();
    await h.client
      .createSender(q)
      .sendMessages({ body: { bad: true }, messageId: 'd-1', applicationProperties: { k: 'v' } });
    const receiver = h.client.createReceiver(q);
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    await receiver.deadLetterMessage(m!, {
      deadLetterReason: 'ValidationFailed',
      deadLetterErrorDescription: 'missing workerId',
    });
    const dlq = h.client.createReceiver(`${q}/$DeadLetterQueue`);
    const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    assert.deepEqual(dead?.body, { bad: true });
    assert.equal(dead?.deadLetterReason, 'ValidationFailed');
    assert.equal(dead?.deadLetterErrorDescription, 'missing workerId');
    assert.equal(dead?.applicationProperties?.DeadLetterReason, 'ValidationFailed');
    assert.equal(dead?.applicationProperties?.k, 'v');
    assert.equal(
      dead?.sequenceNumber?.toNumber(),
      m!.sequenceNumber!.toNumber(),
      'keeps its sequence number',
    );
  });

  it('drops a duplicate message id inside the detection window and accepts it after the window', async () => {
    const q = h.queue({ requiresDuplicateDetection: true, duplicateDetectionWindow: 'PT1M' });
    const sender = h.client.createSender(q);
    await sender.sendMessages({ body: 'first', messageId: 'same' });
    await sender.sendMessages({ body: 'second', messageId: 'same' });
    await sender.sendMessages({ body: 'other', messageId: 'other' });
    h.emulator.context.state.clock.advance(61_000);
    h.namespace.sweep();
    await sender.sendMessages({ body: 'third', messageId: 'same' });
    const peeked = await h.client.createReceiver(q).peekMessages(10);
    assert.deepEqual(
      peeked.map((m) => m.body),
      ['first', 'other', 'third'],
    );
  });

  it('expires messages past their time to live: dead-lettered when the queue says so, dropped otherwise', async () => {
    const dlqOn = h.queue({ deadLetteringOnMessageExpiration: true });
    const dlqOff = h.queue({ defaultMessageTimeToLive: 'PT10M' });
    await h.client.createSender(dlqOn).sendMessages({ body: 'short', timeToLive: 30_000 });
    await h.client.createSender(dlqOn).sendMessages({ body: 'long', timeToLive: 3_600_000 });
    await h.client.createSender(dlqOff).sendMessages({ body: 'default ttl' });
    h.emulator.context.state.clock.advance(11 * 60_000);
    h.namespace.sweep();
    const live = await h.client.createReceiver(dlqOn).peekMessages(10);
    assert.deepEqual(
      live.map((m) => m.body),
      ['long'],
    );
    const [dead] = await h.client
      .createReceiver(dlqOn, { subQueueType: 'deadLetter' })
      .receiveMessages(1, { maxWaitTimeInMs: 2000 });
    assert.equal(dead?.body, 'short');
    assert.equal(dead?.deadLetterReason, 'TTLExpiredException');
    assert.deepEqual(await h.client.createReceiver(dlqOff).peekMessages(10), []);
    assert.equal(h.namespace.queue(dlqOff)!.deadLetter!.messages.size, 0);
  });

  it(
    'redelivers a message whose lock expired, and renewing the lock keeps it',
    { timeout: 30_000 },
    async () => {
      const q = h.queue({ lockDuration: 'PT5S' });
      await h.client.createSender(q).sendMessages([{ body: 'expires' }, { body: 'renewed' }]);
      const receiver = h.client.createReceiver(q, { maxAutoLockRenewalDurationInMs: 0 });
      const [a, b] = await receiver.receiveMessages(2, { maxWaitTimeInMs: 2000 });
      assert.equal(a?.body, 'expires');
      await sleep(3000);
      const until = await receiver.renewMessageLock(b!);
      assert.ok(until.getTime() > Date.now() + 4000);
      await sleep(2500);
      const [again] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
      assert.equal(again?.body, 'expires');
      assert.equal(again?.deliveryCount, 1);
      await assert.rejects(
        receiver.completeMessage(a!),
        (e: { code?: string }) => e.code === 'MessageLockLost',
      );
      await receiver.completeMessage(b!);
      await receiver.completeMessage(again!);
    },
  );

  it('defers a message and hands it out again by sequence number', async () => {
    const q = h.queue();
    await h.client.createSender(q).sendMessages({ body: 'later please' });
    const receiver = h.client.createReceiver(q);
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    await receiver.deferMessage(m!);
    assert.deepEqual(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 }), []);
    const [deferred] = await receiver.receiveDeferredMessages(m!.sequenceNumber!);
    assert.equal(deferred?.body, 'later please');
    assert.equal(deferred?.state, 'deferred');
    await receiver.completeMessage(deferred!);
    assert.deepEqual(await receiver.peekMessages(5), []);
  });

  it('peeks without locking, from where the last peek stopped', async () => {
    const q = h.queue();
    await h.client.createSender(q).sendMessages([1, 2, 3].map((i) => ({ body: i })));
    const receiver = h.client.createReceiver(q);
    assert.deepEqual(
      (await receiver.peekMessages(2)).map((m: ServiceBusReceivedMessage) => m.body),
      [1, 2],
    );
    assert.deepEqual(
      (await receiver.peekMessages(2)).map((m: ServiceBusReceivedMessage) => m.body),
      [3],
    );
    const got = await receiver.receiveMessages(3, { maxWaitTimeInMs: 1000 });
    assert.equal(got.length, 3, 'peeking locked nothing');
  });
});
