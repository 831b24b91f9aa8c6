// A queue's settings as Service Bus defines them, built from a seed entry or an admin request, with Service Bus's
// documented defaults (lock 1 min, 10 deliveries, duplicate window 10 min, TTL "forever").
import { parseDuration } from './durations';

export interface QueueDefinition {
  name: string;
  requiresSession?: boolean;
  maxDeliveryCount?: number;
  lockDuration?: string;
  duplicateDetectionWindow?: string;
  requiresDuplicateDetection?: boolean;
  deadLetteringOnMessageExpiration?: boolean;
  defaultMessageTimeToLive?: string;
}

export interface QueueProperties {
  name: string;
  requiresSession: boolean;
  maxDeliveryCount: number;
  lockDurationMs: number;
  requiresDuplicateDetection: boolean;
  duplicateDetectionWindowMs: number;
  deadLetteringOnMessageExpiration: boolean;
  /** Infinity when the queue keeps messages forever (TimeSpan.MaxValue in Azure). */
  defaultMessageTimeToLiveMs: number;
}

export class QueueDefinitionError extends Error {
  readonly code = 'EMULATOR_SERVICEBUS_QUEUE_INVALID';
}

// Entity names: letters, digits, periods, hyphens, underscores and slashes, at most 260 characters.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,259}$/;

export function queueProperties(def: QueueDefinition): QueueProperties {
  if (
    typeof def?.name !== 'string' ||
    !NAME.test(def.name) ||
    def.name.toLowerCase().includes('$deadletterqueue')
  )
    throw new QueueDefinitionError(
      `queue name "${String(def?.name)}" is not a valid Service Bus entity name`,
    );
  const maxDeliveryCount = def.maxDeliveryCount ?? 10;
  if (!Number.isInteger(maxDeliveryCount) || maxDeliveryCount < 1)
    throw new QueueDefinitionError(`${def.name}: maxDeliveryCount must be an integer of at least 1`);
  const lockDurationMs = parseDuration(def.lockDuration, `${def.name}.lockDuration`) ?? 60_000;
  if (lockDurationMs < 5_000 || lockDurationMs > 300_000)
    throw new QueueDefinitionError(`${def.name}: lockDuration must be between 5 seconds and 5 minutes`);
  return {
    name: def.name,
    requiresSession: def.requiresSession === true,
    maxDeliveryCount,
    lockDurationMs,
    requiresDuplicateDetection: def.requiresDuplicateDetection === true,
    duplicateDetectionWindowMs:
      parseDuration(def.duplicateDetectionWindow, `${def.name}.duplicateDetectionWindow`) ?? 600_000,
    deadLetteringOnMessageExpiration: def.deadLetteringOnMessageExpiration === true,
    defaultMessageTimeToLiveMs:
      parseDuration(def.defaultMessageTimeToLive, `${def.name}.defaultMessageTimeToLive`) ?? Infinity,
  };
}
