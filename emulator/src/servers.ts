// Starts one listener per emulated service on loopback: HTTPS for Microsoft's HTTPS services (each its own port,
// as each is its own host in Azure), plain HTTP for the App Service managed-identity endpoint (as in Azure).
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from './http/serve';
import type { ServiceDefinition } from './services';
import type { EmulatorState } from './state/store';
import type { ServerCertificate } from './tls';

export interface Listener {
  port: number;
  close(): Promise<void>;
}

export async function listenService(
  definition: ServiceDefinition,
  state: EmulatorState,
  options: { host: string; port: number; tls?: ServerCertificate },
): Promise<Listener> {
  const listener = serve({
    service: definition.name,
    router: definition.router,
    log: state.log,
    notFound: definition.notFound,
    internalError: definition.internalError,
  });
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, listener)
    : createHttpServer(listener);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
