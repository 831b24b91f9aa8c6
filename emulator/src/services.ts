// How an emulated service plugs in: a router plus the answers it gives for unknown routes and internal faults,
// each in the service's own error format.
import type { EmulatorRequest, EmulatorResponse, Router } from './http/router';

export interface ServiceDefinition {
  name: string;
  router: Router;
  notFound: (req: EmulatorRequest) => EmulatorResponse;
  internalError: (req: EmulatorRequest, error: unknown) => EmulatorResponse;
}

/** Plain JSON errors for services without a documented format (the admin API). */
export function plainService(name: string, router: Router): ServiceDefinition {
  return {
    name,
    router,
    notFound: (req) => ({
      status: 404,
      body: { error: 'not_found', message: `${req.method} ${req.path} is not an emulator route` },
    }),
    internalError: (_req, error) => ({
      status: error instanceof SyntaxError ? 400 : 500,
      body: {
        error: error instanceof SyntaxError ? 'bad_request' : 'internal',
        message: error instanceof Error ? error.message : String(error),
      },
    }),
  };
}
