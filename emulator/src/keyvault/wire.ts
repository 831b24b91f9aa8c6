// Wire shapes shared by secrets, keys and certificates: attributes in epoch seconds, recovery level, body parsing.
import type { EmulatorRequest } from '../http/router';
import { badParameter } from './errors';
import type { Attributes, Deleted } from './model';
import { RECOVERABLE_DAYS, RECOVERY_LEVEL } from './vault';

export interface WireAttributes {
  enabled?: boolean;
  nbf?: number;
  exp?: number;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

export function attributesOut(a: Attributes, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { enabled: a.enabled };
  if (a.notBefore !== undefined) out.nbf = seconds(a.notBefore);
  if (a.expires !== undefined) out.exp = seconds(a.expires);
  return {
    ...out,
    created: seconds(a.created),
    updated: seconds(a.updated),
    recoveryLevel: RECOVERY_LEVEL,
    recoverableDays: RECOVERABLE_DAYS,
    ...extra,
  };
}

/** New attributes from a request's `attributes` (enabled defaults to true). */
export function attributesIn(input: WireAttributes | undefined, now: number): Attributes {
  const a: Attributes = { enabled: input?.enabled ?? true, created: now, updated: now };
  applyAttributes(a, input, now);
  a.updated = now;
  return a;
}

/** Applies an update's attributes to existing ones; omitted fields stay as they are. */
export function applyAttributes(a: Attributes, input: WireAttributes | undefined, now: number): void {
  if (!input) return;
  if (input.enabled !== undefined) {
    if (typeof input.enabled !== 'boolean') throw badParameter('attributes.enabled must be a boolean.');
    a.enabled = input.enabled;
  }
  if (input.nbf !== undefined && input.nbf !== null) a.notBefore = epochSeconds(input.nbf, 'nbf') * 1000;
  if (input.exp !== undefined && input.exp !== null) a.expires = epochSeconds(input.exp, 'exp') * 1000;
  a.updated = now;
}

function epochSeconds(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw badParameter(`attributes.${field} must be a number.`);
  return v;
}

export function deletedOut(d: Deleted<unknown>, recoveryId: string): Record<string, unknown> {
  return {
    recoveryId,
    deletedDate: seconds(d.deletedDate),
    scheduledPurgeDate: seconds(d.scheduledPurgeDate),
  };
}

/** The request's JSON object body; Key Vault answers 400 BadParameter to anything else. */
export function objectBody(req: EmulatorRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw badParameter('The request body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw badParameter('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

export function tagsIn(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badParameter('tags must be an object of strings.');
  for (const value of Object.values(v))
    if (typeof value !== 'string') throw badParameter('tag values must be strings.');
  if (Object.keys(v).length > 15) throw badParameter('A maximum of 15 tags is allowed.');
  return { ...(v as Record<string, string>) };
}
