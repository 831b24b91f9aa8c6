// Starts the emulated Service Bus namespace: queues from the seed, the AMQP listener, the sweep timer, and the
// connection string clients use (`UseDevelopmentEmulator=true` → plain AMQP on the port given in Endpoint).
import type { EmulatorContext } from '../context';
import { AmqpServer } from './amqpServer';
import { Namespace } from './broker';

export interface ServiceBusService {
  namespace: Namespace;
  port: number;
  connectionString: string;
  close(): Promise<void>;
}

const DEFAULT_KEY_NAME = 'RootManageSharedAccessKey';
const DEFAULT_KEY = 'SAS_KEY_VALUE';
const SWEEP_MS = 100;

export async function startServiceBus(
  ctx: EmulatorContext,
  options: { host: string; port: number },
): Promise<ServiceBusService> {
  const { seed, clock, log } = ctx.state;
  const sasKey = {
    keyName: seed.serviceBus?.sasKeyName ?? DEFAULT_KEY_NAME,
    key: seed.serviceBus?.sasKey ?? DEFAULT_KEY,
  };
  const namespace = ctx.state.extension('servicebus', () => new Namespace(clock));
  for (const q of seed.queues ?? []) if (!namespace.queue(q.name)) namespace.createQueue(q);
  const server = new AmqpServer(namespace, { host: options.host, port: options.port, sasKey, log });
  const port = await server.listen();
  const sweep = setInterval(() => namespace.sweep(), SWEEP_MS);
  sweep.unref();
  ctx.state.extension('servicebus.server', () => server);
  return {
    namespace,
    port,
    connectionString:
      `Endpoint=sb://${options.host}:${port};SharedAccessKeyName=${sasKey.keyName};` +
      `SharedAccessKey=${sasKey.key};UseDevelopmentEmulator=true`,
    close: async () => {
      clearInterval(sweep);
      await server.close();
    },
  };
}
