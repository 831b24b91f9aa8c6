// Shared set-up for the Service Bus emulator tests: an in-process emulator on free ports, unique queues per test,
// and a ServiceBusClient with short timeouts so a broken broker fails fast instead of hanging.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { ServiceBusClient } from '@azure/service-bus';
import { startEmulator, type RunningEmulator } from '../../../emulator/src/emulator';
import type { Namespace } from '../../../emulator/src/servicebus/broker';
import type { QueueDefinition } from '../../../emulator/src/servicebus/queueProperties';

export interface ServiceBusHarness {
  emulator: RunningEmulator;
  connectionString: string;
  namespace: Namespace;
  client: ServiceBusClient;
  queue(def?: Omit<QueueDefinition, 'name'>): string;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<ServiceBusHarness> {
  const emulator = await startEmulator();
  const connectionString = emulator.context.endpoints.serviceBus.connectionString;
  const namespace = emulator.context.state.extensions.get('servicebus') as Namespace;
  const client = new ServiceBusClient(connectionString, {
    retryOptions: { maxRetries: 0, timeoutInMs: 10_000 },
  });
  const ca = readFileSync(String(emulator.readyLine.caPath));
  return {
    emulator,
    connectionString,
    namespace,
    client,
    queue(def = {}) {
      const name = `q-${randomUUID().slice(0, 8)}`;
      namespace.createQueue({ name, ...def });
      return name;
    },
    admin(method, path, body) {
      const url = new URL(`${emulator.context.endpoints.admin}${path}`);
      return new Promise((resolve, reject) => {
        const req = request(url, { method, ca, headers: { 'content-type': 'application/json' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined });
          });
        });
        req.on('error', reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    },
    async close() {
      await client.close();
      await emulator.close();
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
