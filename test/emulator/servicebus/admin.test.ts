// The Service Bus admin endpoints (/_emulator/servicebus/...) and the ready line's Service Bus entry.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type ServiceBusHarness } from './harness';

interface QueueView {
  name: string;
  requiresSession: boolean;
  lockDurationMs: number;
  counts: { active: number; scheduled: number; deferred: number; locked: number; deadLetter: number };
}

describe('Service Bus emulator: admin endpoints and ready line', () => {
  let h: ServiceBusHarness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('names the connection string and the seeded queues in the ready line', () => {
    const sb = h.emulator.readyLine.serviceBus as { host: string; port: number; connectionString: string };
    assert.equal(sb.connectionString, h.connectionString);
    assert.match(
      sb.connectionString,
      new RegExp(
        `^Endpoint=sb://127\\.0\\.0\\.1:${sb.port};SharedAccessKeyName=[^;]+;SharedAccessKey=[^;]+;UseDevelopmentEmulator=true$`,
      ),
    );
    assert.ok((h.emulator.readyLine.queues as string[]).includes('hr-events'));
    assert.equal(h.namespace.queue('hr-events')?.requiresSession, true);
  });

  it('creates a queue at run time, lists it with counts, shows its messages, and deletes it', async () => {
    const created = await h.admin('POST', '/servicebus/queues', {
      name: 'admin-made',
      maxDeliveryCount: 2,
      lockDuration: 'PT30S',
    });
    assert.equal(created.status, 201);
    assert.equal((created.body as QueueView).lockDurationMs, 30_000);
    assert.equal((await h.admin('POST', '/servicebus/queues', { name: 'admin-made' })).status, 409);
    assert.equal((await h.admin('POST', '/servicebus/queues', { name: 'bad name!' })).status, 400);
    assert.equal(
      (await h.admin('POST', '/servicebus/queues', { name: 'x', lockDuration: 'soon' })).status,
      400,
    );

    const sender = h.client.createSender('admin-made');
    await sender.sendMessages([{ body: { n: 1 }, messageId: 'a1' }, { body: { n: 2 } }]);
    await sender.scheduleMessages({ body: 'later' }, new Date(Date.now() + 3_600_000));
    const receiver = h.client.createReceiver('admin-made');
    const [first] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    await receiver.deadLetterMessage(first!, { deadLetterReason: 'r', deadLetterErrorDescription: 'd' });
    await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });

    const list = await h.admin('GET', '/servicebus/queues');
    const view = (list.body as { value: QueueView[] }).value.find((q) => q.name === 'admin-made');
    assert.deepEqual(view?.counts, { active: 1, scheduled: 1, deferred: 0, locked: 1, deadLetter: 1 });

    const messages = await h.admin('GET', '/servicebus/queues/admin-made/messages');
    const value = (
      messages.body as { value: { body: unknown; state: string; lockedUntilUtc: string | null }[] }
    ).value;
    assert.deepEqual(
      value.map((m) => [m.body, m.state, m.lockedUntilUtc !== null]),
      [
        [{ n: 2 }, 'active', true],
        ['later', 'scheduled', false],
      ],
    );
    const dead = await h.admin('GET', '/servicebus/queues/admin-made/messages?subqueue=deadletter');
    const deadOne = (
      dead.body as { value: { messageId: string; applicationProperties: Record<string, unknown> }[] }
    ).value[0];
    assert.equal(deadOne?.messageId, 'a1');
    assert.equal(deadOne?.applicationProperties.DeadLetterReason, 'r');

    assert.equal((await h.admin('DELETE', '/servicebus/queues/admin-made')).status, 204);
    assert.equal((await h.admin('GET', '/servicebus/queues/admin-made')).status, 404);
    await assert.rejects(
      h.client.createSender('admin-made').sendMessages({ body: 'gone' }),
      (e: { code?: string }) => e.code === 'MessagingEntityNotFound',
    );
  });
});
