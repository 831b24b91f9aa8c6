/**
 * Sends validated snapshots through the engine's sender seam (shared/messaging): one WorkerMessage per record,
 * session id = flow + employee id, messageId from kind, flow, employee id and version (duplicate detection), and
 * scheduled delivery for records effective in the future. Records of one employee go in version order, one after
 * the other (the session keeps that order); different employees go in parallel, a bounded number at a time.
 */
import { sessionIdFor, type WorkerMessage } from '../messaging/message';
import { messageIdFor, type WorkerMessageSender } from '../messaging/sender';
import type { ValidSnapshot } from './validate';

export type SendOutcome =
  | {
      readonly ok: true;
      readonly trackingId: string;
      readonly sessionId: string;
      readonly scheduledFor?: string;
    }
  | { readonly ok: false; readonly code: string };

export function snapshotMessage(flow: string, snapshot: ValidSnapshot, sentAt: string): WorkerMessage {
  return {
    kind: 'snapshot',
    flow,
    employeeId: snapshot.employeeId,
    version: snapshot.version,
    record: snapshot.raw,
    sentAt,
  };
}

async function sendOne(
  sender: WorkerMessageSender,
  message: WorkerMessage,
  deliverAt: string | undefined,
): Promise<SendOutcome> {
  const at = deliverAt ? new Date(deliverAt) : undefined;
  try {
    if (at) await sender.schedule(message, at);
    else await sender.send(message);
    return {
      ok: true,
      trackingId: messageIdFor(message, at),
      sessionId: sessionIdFor(message.flow, message.employeeId),
      scheduledFor: at?.toISOString(),
    };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { ok: false, code: typeof code === 'string' ? code : 'TENURE_MESSAGING_UNAVAILABLE' };
  }
}

/** Sends every snapshot; the outcome array is parallel to `snapshots`. */
export async function sendSnapshots(
  sender: WorkerMessageSender,
  flow: string,
  snapshots: readonly ValidSnapshot[],
  sentAt: string,
  concurrency: number,
): Promise<SendOutcome[]> {
  const outcomes: SendOutcome[] = new Array<SendOutcome>(snapshots.length);
  const groups = new Map<string, number[]>();
  snapshots.forEach((s, i) => {
    const g = groups.get(s.employeeId);
    if (g) g.push(i);
    else groups.set(s.employeeId, [i]);
  });
  const queue = [...groups.values()].map((g) =>
    g.sort((a, b) => (snapshots[a]!.version < snapshots[b]!.version ? -1 : 1)),
  );
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const group = queue[next++]!;
      for (const i of group) {
        const s = snapshots[i]!;
        outcomes[i] = await sendOne(sender, snapshotMessage(flow, s, sentAt), s.deliverAt);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker));
  return outcomes;
}
