// Trigger metadata as the Functions host gives a Node handler for a Service Bus message (the WebJobs extension's
// binding data, camelCased by @azure/functions). The host's DeliveryCount counts the current delivery (1 on first
// receipt) while @azure/service-bus shows prior attempts (0), hence the +1.
import type { ServiceBusReceivedMessage } from '@azure/service-bus';

export function messageMetadata(m: ServiceBusReceivedMessage): Record<string, unknown> {
  const iso = (d: Date | undefined): string | undefined => (d ? d.toISOString() : undefined);
  const props = m.applicationProperties ?? {};
  const meta: Record<string, unknown> = {
    deliveryCount: (m.deliveryCount ?? 0) + 1,
    deadLetterSource: m.deadLetterSource,
    lockToken: m.lockToken,
    expiresAtUtc: iso(m.expiresAtUtc),
    enqueuedTimeUtc: iso(m.enqueuedTimeUtc),
    messageId: m.messageId === undefined ? undefined : String(m.messageId),
    contentType: m.contentType,
    replyTo: m.replyTo,
    sequenceNumber: m.sequenceNumber?.toNumber(),
    to: m.to,
    label: m.subject,
    subject: m.subject,
    correlationId: m.correlationId === undefined ? undefined : String(m.correlationId),
    sessionId: m.sessionId,
    replyToSessionId: m.replyToSessionId,
    partitionKey: m.partitionKey,
    applicationProperties: props,
    userProperties: props,
  };
  for (const key of Object.keys(meta)) if (meta[key] === undefined) delete meta[key];
  return meta;
}

/** For `cardinality: 'many'`: every field as `<name>Array`, plus `sessionId` for a session batch. */
export function batchMetadata(
  messages: ServiceBusReceivedMessage[],
  sessionId?: string,
): Record<string, unknown> {
  const singles = messages.map(messageMetadata);
  const keys = new Set(singles.flatMap((s) => Object.keys(s)));
  const meta: Record<string, unknown> = {};
  for (const key of keys) meta[`${key}Array`] = singles.map((s) => s[key]);
  if (sessionId !== undefined) meta.sessionId = sessionId;
  return meta;
}
