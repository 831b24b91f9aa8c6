import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceBusMessage } from '@azure/service-bus';
import { parseWorkerMessage, sessionIdFor, type WorkerMessage } from '../../shared/messaging/message';
import { messageIdFor, ServiceBusWorkerSender } from '../../shared/messaging/sender';

const message: WorkerMessage = {
  kind: 'snapshot',
  flow: 'hr',
  employeeId: 'E1',
  version: '7',
  record: { Id: 'E1' },
  sentAt: 'x',
};

test('the sender sets session id = flow:employeeId and a deterministic message id; schedule passes the instant', async () => {
  const sent: ServiceBusMessage[] = [];
  const scheduled: { m: ServiceBusMessage; at: Date }[] = [];
  const sender = new ServiceBusWorkerSender({
    sendMessages: (async (m: ServiceBusMessage) => void sent.push(m)) as never,
    scheduleMessages: (async (m: ServiceBusMessage, at: Date) => {
      scheduled.push({ m, at });
      return [{ toString: () => '42' }];
    }) as never,
  });
  await sender.send(message);
  assert.equal(sent[0].sessionId, sessionIdFor('hr', 'E1'));
  assert.equal(sent[0].sessionId, 'hr:E1');
  assert.equal(sent[0].messageId, 'snapshot:hr:E1:7');
  assert.deepEqual(sent[0].body, message);
  const at = new Date('2026-03-20T04:00:00Z');
  assert.equal(await sender.schedule({ ...message, kind: 'wake', record: undefined }, at), '42');
  assert.equal(scheduled[0].at, at);
  assert.equal(scheduled[0].m.messageId, 'wake:hr:E1:7@2026-03-20T04:00:00.000Z');
  assert.equal(messageIdFor({ ...message, attempt: 2 }), 'snapshot:hr:E1:7#2');
});

test('a broker failure becomes a transient messaging error', async () => {
  const sender = new ServiceBusWorkerSender({
    sendMessages: (async () => {
      throw new Error('amqp down');
    }) as never,
    scheduleMessages: (async () => []) as never,
  });
  await assert.rejects(
    sender.send(message),
    (e: { code?: string; terminal?: boolean }) =>
      e.code === 'TENURE_MESSAGING_UNAVAILABLE' && e.terminal === false,
  );
});

test('message bodies are validated (object or JSON text); reasons name the problem', () => {
  assert.equal(parseWorkerMessage(JSON.stringify(message)).ok, true);
  assert.equal(parseWorkerMessage(message).ok, true);
  assert.deepEqual(parseWorkerMessage('{'), { ok: false, reason: 'body is not JSON' });
  assert.deepEqual(parseWorkerMessage({ ...message, kind: 'x' }), { ok: false, reason: 'unknown kind' });
  assert.deepEqual(parseWorkerMessage({ ...message, record: undefined }), {
    ok: false,
    reason: 'snapshot without record',
  });
  assert.deepEqual(parseWorkerMessage({ ...message, employeeId: '' }), {
    ok: false,
    reason: 'employeeId missing',
  });
  assert.deepEqual(parseWorkerMessage({ ...message, attempt: -1 }), {
    ok: false,
    reason: 'attempt is not a number',
  });
});
