// Through the dev host (the real compiled app) against the stack `npm test` started: post a CSV extract to
// POST /api/flows/csv-sample/events and receive the messages from the emulator's Service Bus with a session
// receiver, as the engine will.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ServiceBusClient } from '@azure/service-bus';
import { startDevhost, testStack, type RunningDevhost } from '../support/stack';
import { CSV_HEADER, csvRow } from './support';

const stack = testStack();
const connectionString = stack.appSettings.ServiceBusConnection ?? '';
const skip = connectionString === '' ? 'the emulator on this branch has no Service Bus yet' : false;

let host: RunningDevhost | undefined;
before(async () => {
  // The engine's trigger is off here: this test takes the messages itself.
  if (!skip)
    host = await startDevhost(stack.appSettings, { 'AzureWebJobs.reconcileWorker.Disabled': 'true' });
});
after(async () => {
  await host?.stop();
});

test(
  'a CSV posted to the dev host arrives on hr-events, one message per worker in its session',
  { skip },
  async () => {
    const base = randomInt(10_000_000, 90_000_000);
    const ids = [String(base), String(base + 1)];
    const res = await fetch(`${host!.url}/api/flows/csv-sample/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-functions-key': host!.functionKey },
      body: [
        CSV_HEADER,
        ...ids.map((id) => csvRow({ WorkerID: id })),
        csvRow({ WorkerID: 'x', HireDate: 'bad' }),
      ].join('\r\n'),
    });
    assert.equal(res.status, 200);
    const answer = (await res.json()) as {
      summary: { accepted: number; rejected: number };
      records: { status: string; employeeId: string; trackingId?: string; sessionId?: string }[];
    };
    assert.deepEqual([answer.summary.accepted, answer.summary.rejected], [2, 1]);

    const client = new ServiceBusClient(connectionString);
    try {
      for (const rec of answer.records.filter((r) => r.status === 'accepted')) {
        const receiver = await client.acceptSession(host!.queue, rec.sessionId!);
        try {
          const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 15_000 });
          assert.ok(message, `message for ${rec.employeeId}`);
          assert.equal(message.messageId, rec.trackingId);
          assert.equal(message.sessionId, `csv-sample:${rec.employeeId}`);
          const body = message.body as {
            kind: string;
            flow: string;
            employeeId: string;
            record: Record<string, unknown>;
          };
          assert.equal(body.kind, 'snapshot');
          assert.equal(body.flow, 'csv-sample');
          assert.equal(body.employeeId, rec.employeeId);
          assert.equal(body.record.WorkerID, rec.employeeId);
          await receiver.completeMessage(message);
        } finally {
          await receiver.close();
        }
      }
    } finally {
      await client.close();
    }
  },
);

test(
  'the dev host answers 401 without the function key and 415 for another content type',
  { skip },
  async () => {
    const url = `${host!.url}/api/flows/csv-sample/events`;
    assert.equal(
      (await fetch(url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a' })).status,
      401,
    );
    const wrong = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-functions-key': host!.functionKey },
      body: 'a',
    });
    assert.equal(wrong.status, 415);
  },
);
