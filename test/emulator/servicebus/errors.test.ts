// What the emulated namespace refuses, and how the SDK reports it: bad SAS keys, unknown queues, sessionless use
// of a session queue.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServiceBusClient } from '@azure/service-bus';
import { startHarness, type ServiceBusHarness } from './harness';

describe('Service Bus emulator: errors', () => {
  let h: ServiceBusHarness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('rejects a connection string with the wrong key (CBS answers 401)', async () => {
    const q = h.queue();
    const bad = new ServiceBusClient(
      h.connectionString.replace(/SharedAccessKey=[^;]+/, 'SharedAccessKey=not-the-key'),
      {
        retryOptions: { maxRetries: 0, timeoutInMs: 5000 },
      },
    );
    await assert.rejects(
      bad.createSender(q).sendMessages({ body: 1 }),
      (e: { code?: string; message?: string }) => {
        assert.equal(e.code, 'UnauthorizedAccess');
        assert.doesNotMatch(String(e.message), /not-the-key/);
        return true;
      },
    );
    await bad.close();
    assert.equal(h.namespace.queue(q)!.messages.size, 0);
  });

  it('rejects a key name the namespace does not have', async () => {
    const bad = new ServiceBusClient(
      h.connectionString.replace(/SharedAccessKeyName=[^;]+/, 'SharedAccessKeyName=Other'),
      {
        retryOptions: { maxRetries: 0, timeoutInMs: 5000 },
      },
    );
    await assert.rejects(
      bad.createReceiver(h.queue()).receiveMessages(1, { maxWaitTimeInMs: 500 }),
      (e: { code?: string }) => e.code === 'UnauthorizedAccess',
    );
    await bad.close();
  });

  it('answers MessagingEntityNotFound for an unknown queue, to senders and receivers', async () => {
    await assert.rejects(
      h.client.createSender('no-such-queue').sendMessages({ body: 1 }),
      (e: { code?: string }) => e.code === 'MessagingEntityNotFound',
    );
    await assert.rejects(
      h.client.createReceiver('no-such-queue').receiveMessages(1, { maxWaitTimeInMs: 500 }),
      (e: { code?: string }) => e.code === 'MessagingEntityNotFound',
    );
  });

  it('refuses a message without a session id on a session queue, and a plain receiver on it', async () => {
    const q = h.queue({ requiresSession: true });
    await assert.rejects(h.client.createSender(q).sendMessages({ body: 1 }));
    await h.client.createSender(q).sendMessages({ body: 1, sessionId: 's' });
    await assert.rejects(h.client.createReceiver(q).receiveMessages(1, { maxWaitTimeInMs: 500 }));
    assert.equal(h.namespace.queue(q)!.messages.size, 1);
  });
});
