// Checks a Service Bus shared access signature the way the service does: `SharedAccessSignature sr=<url-encoded
// resource>&sig=<url-encoded base64 HMAC-SHA256 of "sr\nse">&se=<unix seconds>&skn=<key name>`, signed with the
// namespace key named by skn. Expiry is judged on real time: the SDK mints the token from its own clock.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SasKey {
  keyName: string;
  key: string;
}

export type SasCheck = { ok: true; audience: string; expiresAt: number } | { ok: false; reason: string };

export function checkSasToken(token: string, key: SasKey, nowMs: number): SasCheck {
  const prefix = 'SharedAccessSignature ';
  if (!token.startsWith(prefix))
    return { ok: false, reason: 'InvalidToken: the token is not a shared access signature.' };
  const fields = new Map<string, string>();
  for (const part of token.slice(prefix.length).split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const sr = fields.get('sr');
  const sig = fields.get('sig');
  const se = fields.get('se');
  const skn = fields.get('skn');
  if (!sr || !sig || !se || !skn)
    return { ok: false, reason: 'InvalidToken: sr, sig, se and skn are required.' };
  if (decodeURIComponent(skn) !== key.keyName)
    return { ok: false, reason: `InvalidSignature: the token's key name is not a key of this namespace.` };
  const expected = createHmac('sha256', key.key).update(`${sr}\n${se}`).digest();
  const given = Buffer.from(decodeURIComponent(sig), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'InvalidSignature: The token has an invalid signature.' };
  const expiresAt = Number(se) * 1000;
  if (!Number.isFinite(expiresAt) || expiresAt <= nowMs)
    return { ok: false, reason: 'ExpiredToken: The token is expired.' };
  return { ok: true, audience: decodeURIComponent(sr), expiresAt };
}

/** The entity path an audience URL names ("sb://host:port/queue/$management" → "queue/$management"). */
export function audiencePath(audience: string): string {
  const withoutScheme = audience.replace(/^[a-z]+:\/\//i, '');
  const slash = withoutScheme.indexOf('/');
  return (slash < 0 ? '' : withoutScheme.slice(slash + 1)).replace(/\/+$/, '').toLowerCase();
}

/** A token for a namespace or an entity covers that entity and everything under it. */
export function audienceCovers(granted: string, entityPath: string): boolean {
  const path = entityPath.replace(/\/+$/, '').toLowerCase();
  return granted === '' || path === granted || path.startsWith(`${granted}/`);
}
