/**
 * Service Bus sender seam for worker messages: send now or schedule for an instant, with session id = flow +
 * employee id. HR ingestion reuses it. `ServiceBusWorkerSender` adapts an `@azure/service-bus` sender; tests pass
 * a fake implementing `WorkerMessageSender`.
 */
import type { ServiceBusMessage, ServiceBusSender } from '@azure/service-bus';
import { TenureError } from '../engine/errors';
import { sessionIdFor, type WorkerMessage } from './message';

export interface WorkerMessageSender {
  send(message: WorkerMessage): Promise<void>;
  /** Schedules delivery at `at`; returns the broker's sequence number as a string. */
  schedule(message: WorkerMessage, at: Date): Promise<string>;
}

export type SchedulingSender = Pick<ServiceBusSender, 'sendMessages' | 'scheduleMessages'>;

/** Deterministic message id: Service Bus duplicate detection drops a re-send of the same message. */
export function messageIdFor(message: WorkerMessage, at?: Date): string {
  const when = at ? `@${at.toISOString()}` : '';
  const attempt = message.attempt ? `#${message.attempt}` : '';
  return `${message.kind}:${message.flow}:${message.employeeId}:${message.version}${attempt}${when}`.slice(
    0,
    128,
  );
}

export function toServiceBusMessage(message: WorkerMessage, at?: Date): ServiceBusMessage {
  return {
    body: message,
    contentType: 'application/json',
    sessionId: sessionIdFor(message.flow, message.employeeId),
    messageId: messageIdFor(message, at),
    applicationProperties: { kind: message.kind, attempt: message.attempt ?? 0 },
  };
}

function unavailable(cause: unknown): TenureError {
  return new TenureError(
    'TENURE_MESSAGING_UNAVAILABLE',
    'Service Bus send failed.',
    {},
    { cause, terminal: false },
  );
}

export class ServiceBusWorkerSender implements WorkerMessageSender {
  constructor(private readonly sender: SchedulingSender) {}

  async send(message: WorkerMessage): Promise<void> {
    try {
      await this.sender.sendMessages(toServiceBusMessage(message));
    } catch (err) {
      throw unavailable(err);
    }
  }

  async schedule(message: WorkerMessage, at: Date): Promise<string> {
    try {
      const [seq] = await this.sender.scheduleMessages(toServiceBusMessage(message, at), at);
      return seq.toString();
    } catch (err) {
      throw unavailable(err);
    }
  }
}
