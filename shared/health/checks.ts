// Health checks of Tenure's dependencies: each is a real, cheap read against the service, timed, with a bounded
// wait so one hung dependency cannot hang the health endpoint.
import type { AzureClients } from '../azure/clients';

export type DependencyName = 'tables' | 'keyVault' | 'serviceBus';

export interface DependencyStatus {
  status: 'healthy' | 'unhealthy';
  latencyMs: number;
  /** Error class and code only: never a URL with a token, never a secret. */
  error?: string;
}

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  checkedAt: string;
  dependencies: Record<DependencyName, DependencyStatus>;
}

export type Probe = () => Promise<void>;

export function probesFor(clients: AzureClients): Record<DependencyName, Probe> {
  return {
    tables: async () => {
      await clients.tableService().listTables().byPage({ maxPageSize: 1 }).next();
    },
    keyVault: async () => {
      await clients.secrets().listPropertiesOfSecrets().byPage({ maxPageSize: 1 }).next();
    },
    serviceBus: async () => {
      // Opening a sender link checks reachability, authentication and that the queue exists; nothing is sent.
      const sender = clients.serviceBus().createSender(clients.hrQueue);
      try {
        await sender.createMessageBatch();
      } finally {
        await sender.close();
      }
    },
  };
}

export async function checkHealth(
  probes: Record<DependencyName, Probe>,
  options: { timeoutMs?: number; now?: () => number } = {},
): Promise<HealthReport> {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const entries = await Promise.all(
    (Object.entries(probes) as [DependencyName, Probe][]).map(async ([name, probe]) => {
      const started = now();
      try {
        await withTimeout(probe(), timeoutMs);
        return [name, { status: 'healthy', latencyMs: now() - started }] as const;
      } catch (error) {
        return [name, { status: 'unhealthy', latencyMs: now() - started, error: describe(error) }] as const;
      }
    }),
  );
  const dependencies = Object.fromEntries(entries) as Record<DependencyName, DependencyStatus>;
  const healthy = Object.values(dependencies).every((d) => d.status === 'healthy');
  return {
    status: healthy ? 'healthy' : 'unhealthy',
    checkedAt: new Date(now()).toISOString(),
    dependencies,
  };
}

class ProbeTimeoutError extends Error {
  readonly code = 'TENURE_HEALTH_TIMEOUT';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeoutError(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: unknown }).code;
  const status = (error as { statusCode?: unknown }).statusCode;
  const parts = [error.constructor.name === 'Error' ? error.name : error.constructor.name];
  if (typeof code === 'string' || typeof code === 'number') parts.push(String(code));
  if (typeof status === 'number') parts.push(`HTTP ${status}`);
  return parts.join(' ');
}
