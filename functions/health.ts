// GET /api/health: real checks of Tables, Key Vault and Service Bus; 200 when all answer, 503 naming the one that
// does not.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { checkHealth, probesFor, type DependencyName, type Probe } from '../shared/health/checks';
import { appClients } from './appClients';

/** The handler, given where its probes come from (tests pass their own). */
export function healthHandler(probes: () => Record<DependencyName, Probe>) {
  return async (_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const report = await checkHealth(probes());
    if (report.status !== 'healthy') {
      const down = Object.entries(report.dependencies)
        .filter(([, d]) => d.status !== 'healthy')
        .map(([n]) => n);
      context.warn(`health: unhealthy dependencies: ${down.join(', ')}`);
    }
    return {
      status: report.status === 'healthy' ? 200 : 503,
      jsonBody: report,
      headers: { 'Cache-Control': 'no-store' },
    };
  };
}

app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: healthHandler(() => probesFor(appClients())),
});
