// Small helpers over rhea's loosely typed API: outcomes, typed values and the Service Bus lock-token byte order.
import { message as rheaMessage, types, type Typed } from 'rhea';

interface Outcomes {
  accepted(): { described(): unknown };
  rejected(fields: { error: AmqpErrorInfo }): { described(): unknown };
}

export interface AmqpErrorInfo {
  condition: string;
  description: string;
  info?: Record<string, unknown>;
}

const outcomes = rheaMessage as unknown as Outcomes;

export const accepted = (): unknown => outcomes.accepted().described();
export const rejected = (error: AmqpErrorInfo): unknown => outcomes.rejected({ error }).described();

/** A non-negative integer as an 8-byte big-endian AMQP long (sequence numbers, .NET ticks). */
export function longBytes(value: number | bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(value));
  return b;
}

export function wrapLong(value: number | bigint): Typed {
  return types.wrap_long(longBytes(value));
}

/** A long as rhea decodes it: a number when it fits, otherwise 8 big-endian bytes. */
export function readLong(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (Buffer.isBuffer(value) && value.length === 8) return Number(value.readBigInt64BE());
  return undefined;
}

/** .NET DateTime ticks (100 ns since 0001-01-01), as Service Bus sends `com.microsoft:locked-until-utc`. */
export function ticks(ms: number): Typed {
  return wrapLong(BigInt(ms) * 10_000n + 621_355_968_000_000_000n);
}

export function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

export function uuidString(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Service Bus sends the lock token as the delivery tag in .NET Guid byte order (first three fields reversed). */
export function swapGuidOrder(b: Buffer): Buffer {
  return Buffer.from([b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.subarray(8)]);
}

export function lockTokenToTag(token: string): Buffer {
  return swapGuidOrder(uuidBytes(token));
}

export function tagToLockToken(tag: Buffer | string): string {
  return uuidString(swapGuidOrder(typeof tag === 'string' ? Buffer.from(tag) : tag));
}
