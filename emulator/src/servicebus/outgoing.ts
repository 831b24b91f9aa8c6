// A stored message as the broker hands it out: the client's message plus the broker annotations Service Bus adds
// (sequence number, enqueued time, lock expiry, state) and the AMQP header's delivery count.
import type { Message as RheaMessage } from 'rhea';
import type { StoredMessage } from './entity';
import { wrapLong } from './amqpTypes';

const STATE_CODES = { active: 0, deferred: 1, scheduled: 2 } as const;

export function outgoingMessage(
  m: StoredMessage,
  deliveryCountHeader: number,
  lockedUntil?: number,
): RheaMessage {
  const annotations: Record<string, unknown> = {
    ...((m.message.message_annotations as Record<string, unknown> | undefined) ?? {}),
    'x-opt-sequence-number': wrapLong(m.sequenceNumber),
    'x-opt-enqueued-time': new Date(m.enqueuedAt),
    'x-opt-message-state': STATE_CODES[m.state],
  };
  if (lockedUntil !== undefined) annotations['x-opt-locked-until'] = new Date(lockedUntil);
  if (m.scheduledFor !== undefined) annotations['x-opt-scheduled-enqueue-time'] = new Date(m.scheduledFor);
  return {
    ...m.message,
    delivery_count: deliveryCountHeader,
    message_annotations: annotations,
  } as RheaMessage;
}
