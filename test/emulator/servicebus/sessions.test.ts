// Sessions on the emulated Service Bus: session filter on attach, named and next-available sessions, the session
// lock (exclusive, renewable, expiring), in-order delivery and session state — through @azure/service-bus.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServiceBusClient } from '@azure/service-bus';
import { sleep, startHarness, type ServiceBusHarness } from './harness';

describe('Service Bus emulator: sessions', () => {
  let h: ServiceBusHarness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('delivers each session in order, interleaved sends notwithstanding', async () => {
    const q = h.queue({ requiresSession: true });
    const sender = h.client.createSender(q);
    for (let i = 0; i < 5; i++) {
      await sender.sendMessages({ body: `a${i}`, sessionId: 'tenant-a' });
      await sender.sendMessages({ body: `b${i}`, sessionId: 'tenant-b' });
    }
    for (const sid of ['tenant-b', 'tenant-a']) {
      const receiver = await h.client.acceptSession(q, sid);
      assert.equal(receiver.sessionId, sid);
      const bodies: string[] = [];
      while (bodies.length < 5) {
        const ms = await receiver.receiveMessages(2, { maxWaitTimeInMs: 1000 });
        assert.ok(ms.length > 0);
        for (const m of ms) {
          assert.equal(m.sessionId, sid);
          bodies.push(String(m.body));
          await receiver.completeMessage(m);
        }
      }
      assert.deepEqual(
        bodies,
        [0, 1, 2, 3, 4].map((i) => `${sid.slice(-1)}${i}`),
      );
      await receiver.close();
    }
  });

  it('accepts the next available session, skipping locked and empty ones', async () => {
    const q = h.queue({ requiresSession: true });
    const sender = h.client.createSender(q);
    await sender.sendMessages({ body: 1, sessionId: 's1' });
    await sender.sendMessages({ body: 2, sessionId: 's2' });
    const first = await h.client.acceptNextSession(q);
    const second = await h.client.acceptNextSession(q);
    assert.deepEqual([first.sessionId, second.sessionId].sort(), ['s1', 's2']);
    assert.ok(first.sessionLockedUntilUtc && first.sessionLockedUntilUtc.getTime() > Date.now() + 50_000);
    const started = Date.now();
    // The SDK gives its operation timeout to the namespace as the wait for a session.
    const impatient = new ServiceBusClient(h.connectionString, {
      retryOptions: { maxRetries: 0, timeoutInMs: 1500 },
    });
    await assert.rejects(
      impatient.acceptNextSession(q),
      (e: { code?: string }) => e.code === 'ServiceTimeout',
    );
    await impatient.close();
    assert.ok(Date.now() - started >= 1000, 'waits for a session before giving up');
    await first.close();
    await second.close();
  });

  it('waits on acceptNextSession until a session gets a message', async () => {
    const q = h.queue({ requiresSession: true });
    const pending = h.client.acceptNextSession(q);
    await sleep(300);
    await h.client.createSender(q).sendMessages({ body: 'late', sessionId: 'late-one' });
    const receiver = await pending;
    assert.equal(receiver.sessionId, 'late-one');
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 1000 });
    assert.equal(m?.body, 'late');
    await receiver.completeMessage(m!);
    await receiver.close();
  });

  it('locks a session to one receiver at a time', async () => {
    const q = h.queue({ requiresSession: true });
    await h.client.createSender(q).sendMessages({ body: 'x', sessionId: 'only' });
    const holder = await h.client.acceptSession(q, 'only');
    await assert.rejects(
      h.client.acceptSession(q, 'only'),
      (e: { code?: string }) => e.code === 'SessionCannotBeLocked',
    );
    await holder.close();
    const next = await h.client.acceptSession(q, 'only');
    const [m] = await next.receiveMessages(1, { maxWaitTimeInMs: 1000 });
    assert.equal(m?.body, 'x');
    await next.close();
  });

  it('returns an abandoned message to the head of its session with deliveryCount + 1', async () => {
    const q = h.queue({ requiresSession: true });
    await h.client.createSender(q).sendMessages([1, 2, 3].map((i) => ({ body: i, sessionId: 'ordered' })));
    const receiver = await h.client.acceptSession(q, 'ordered');
    const [one] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 1000 });
    await receiver.abandonMessage(one!);
    const [again] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 1000 });
    assert.equal(again?.body, 1);
    assert.equal(again?.deliveryCount, 1);
    await receiver.close();
  });

  it('keeps session state and renews the session lock', async () => {
    const q = h.queue({ requiresSession: true });
    await h.client.createSender(q).sendMessages({ body: 'x', sessionId: 'stateful' });
    const receiver = await h.client.acceptSession(q, 'stateful');
    assert.equal(await receiver.getSessionState(), undefined);
    await receiver.setSessionState({ cursor: 42 });
    assert.deepEqual(await receiver.getSessionState(), { cursor: 42 });
    const before = receiver.sessionLockedUntilUtc!.getTime();
    await sleep(20);
    const renewed = await receiver.renewSessionLock();
    assert.ok(renewed.getTime() > before);
    await receiver.close();
    const again = await h.client.acceptSession(q, 'stateful');
    assert.deepEqual(await again.getSessionState(), { cursor: 42 }, 'state outlives the receiver');
    await again.close();
  });

  it(
    'ends an unrenewed session lock: its receiver loses the session and another may accept it',
    { timeout: 30_000 },
    async () => {
      const q = h.queue({ requiresSession: true, lockDuration: 'PT5S' });
      await h.client.createSender(q).sendMessages({ body: 'held', sessionId: 'lapsing' });
      const first = await h.client.acceptSession(q, 'lapsing', { maxAutoLockRenewalDurationInMs: 0 });
      const [m] = await first.receiveMessages(1, { maxWaitTimeInMs: 1000 });
      assert.equal(m?.deliveryCount, 0);
      await sleep(5500);
      await assert.rejects(first.completeMessage(m!), (e: { code?: string }) => e.code === 'SessionLockLost');
      const second = await h.client.acceptSession(q, 'lapsing');
      const [again] = await second.receiveMessages(1, { maxWaitTimeInMs: 1000 });
      assert.equal(again?.body, 'held');
      assert.equal(again?.deliveryCount, 1);
      await second.completeMessage(again!);
      await second.close();
    },
  );

  it('receives from the dead-letter queue of a session queue without a session', async () => {
    const q = h.queue({ requiresSession: true });
    await h.client.createSender(q).sendMessages({ body: 'bad', sessionId: 's' });
    const receiver = await h.client.acceptSession(q, 's');
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 1000 });
    await receiver.deadLetterMessage(m!, {
      deadLetterReason: 'Poison',
      deadLetterErrorDescription: 'cannot parse',
    });
    await receiver.close();
    const [dead] = await h.client
      .createReceiver(q, { subQueueType: 'deadLetter' })
      .receiveMessages(1, { maxWaitTimeInMs: 1000 });
    assert.equal(dead?.sessionId, 's');
    assert.equal(dead?.deadLetterReason, 'Poison');
  });
});
