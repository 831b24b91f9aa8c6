// What the dev host hands the Service Bus trigger runner: one entry per `app.serviceBusQueue` registration recorded
// from the compiled app, the app settings to resolve `connection` against, and host.json's Service Bus settings.
import type { InvocationContext, LogLevel } from '@azure/functions';

/** A Service Bus queue trigger as the app registered it (the binding metadata plus the handler). */
export interface ServiceBusTriggerRegistration {
  /** The function name (InvocationContext.functionName). */
  name: string;
  queueName: string;
  /** App-setting name holding the connection string (e.g. `ServiceBusConnection`). */
  connection: string;
  isSessionsEnabled?: boolean;
  /** `many` passes an array of message bodies and `*Array` trigger metadata. Default `one`. */
  cardinality?: 'one' | 'many';
  /** Per-function override of host.json `autoCompleteMessages`. */
  autoCompleteMessages?: boolean;
  handler: (messageOrMessages: unknown, context: InvocationContext) => unknown;
}

/** host.json `extensions.serviceBus`, in milliseconds where the file has TimeSpans. */
export interface ServiceBusHostSettings {
  autoCompleteMessages: boolean;
  maxConcurrentCalls: number;
  maxConcurrentSessions: number;
  maxMessageBatchSize: number;
  maxAutoLockRenewalDurationMs: number;
  sessionIdleTimeoutMs: number;
}

export type RunnerLog = (level: LogLevel, functionName: string, ...args: unknown[]) => void;

export interface ServiceBusTriggerRunnerOptions {
  registrations: ServiceBusTriggerRegistration[];
  /** App settings / environment: `connection` names a key here (or `AzureWebJobs<connection>`, as the host also accepts). */
  settings: Record<string, string | undefined>;
  /** host.json Service Bus settings; missing fields take the Functions host's defaults. */
  host?: Partial<ServiceBusHostSettings>;
  /** Where handler logs (context.log) and runner diagnostics go. Default: console. */
  log?: RunnerLog;
  /** How long one idle receive or session accept waits before looking again (ms). Default 1000. */
  pollIntervalMs?: number;
}

export class ServiceBusTriggerConfigError extends Error {
  readonly code = 'DEVHOST_SERVICEBUS_CONFIG_INVALID';
}
