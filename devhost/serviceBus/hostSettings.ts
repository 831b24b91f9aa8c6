// Reads host.json `extensions.serviceBus` the way the Functions host does, with the host's defaults for anything
// left out (extension 5.x: autoComplete on, 16 concurrent calls, 8 sessions, batches of 1000, 5-minute renewal).
import { ServiceBusTriggerConfigError, type ServiceBusHostSettings } from './types';

export const HOST_DEFAULTS: ServiceBusHostSettings = {
  autoCompleteMessages: true,
  maxConcurrentCalls: 16,
  maxConcurrentSessions: 8,
  maxMessageBatchSize: 1000,
  maxAutoLockRenewalDurationMs: 5 * 60_000,
  sessionIdleTimeoutMs: 60_000,
};

/** `hh:mm:ss[.fff]` or `d.hh:mm:ss` (host.json TimeSpan) → milliseconds. */
export function parseTimeSpan(value: unknown, field: string): number {
  const m =
    typeof value === 'string' ? /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(value) : null;
  if (!m)
    throw new ServiceBusTriggerConfigError(
      `host.json ${field}: "${String(value)}" is not a TimeSpan (hh:mm:ss)`,
    );
  const [d, h, min, s] = [m[1], m[2], m[3], m[4]].map((x) => Number(x ?? 0));
  const fraction = m[5] ? Number(`0.${m[5]}`) : 0;
  return Math.round((((d! * 24 + h!) * 60 + min!) * 60 + s! + fraction) * 1000);
}

/** The Service Bus settings from a parsed host.json document. */
export function serviceBusHostSettings(hostJson: unknown): ServiceBusHostSettings {
  const sb = ((hostJson as { extensions?: { serviceBus?: Record<string, unknown> } } | undefined)?.extensions
    ?.serviceBus ?? {}) as Record<string, unknown>;
  const count = (key: string, fallback: number): number => {
    const v = sb[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw new ServiceBusTriggerConfigError(
        `host.json extensions.serviceBus.${key} must be a positive integer`,
      );
    return v;
  };
  return {
    autoCompleteMessages: sb.autoCompleteMessages === undefined ? true : sb.autoCompleteMessages === true,
    maxConcurrentCalls: count('maxConcurrentCalls', HOST_DEFAULTS.maxConcurrentCalls),
    maxConcurrentSessions: count('maxConcurrentSessions', HOST_DEFAULTS.maxConcurrentSessions),
    maxMessageBatchSize: count('maxMessageBatchSize', HOST_DEFAULTS.maxMessageBatchSize),
    maxAutoLockRenewalDurationMs:
      sb.maxAutoLockRenewalDuration === undefined
        ? HOST_DEFAULTS.maxAutoLockRenewalDurationMs
        : parseTimeSpan(sb.maxAutoLockRenewalDuration, 'extensions.serviceBus.maxAutoLockRenewalDuration'),
    sessionIdleTimeoutMs:
      sb.sessionIdleTimeout === undefined
        ? HOST_DEFAULTS.sessionIdleTimeoutMs
        : parseTimeSpan(sb.sessionIdleTimeout, 'extensions.serviceBus.sessionIdleTimeout'),
  };
}
