// Compact JWS for the emulator's tokens (RS256) and for reading client assertions (RS256 and PS256).
import { constants, createSign, createVerify, type KeyObject } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

export function signJwt(claims: JwtClaims, key: KeyObject, header: Record<string, unknown>): string {
  const h = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', ...header })).toString('base64url');
  const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createSign('RSA-SHA256').update(`${h}.${p}`).sign(key).toString('base64url');
  return `${h}.${p}.${signature}`;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: JwtClaims;
  signingInput: string;
  signature: Buffer;
}

/** Splits and parses a compact JWT without checking it; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(claims)) return undefined;
    return {
      header,
      claims,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2]!, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

/** Checks a signature made with RS256 or PS256 (the two algorithms Entra accepts for client assertions). */
export function verifySignature(jwt: DecodedJwt, key: KeyObject): boolean {
  const alg = jwt.header.alg;
  const verifier = createVerify('RSA-SHA256').update(jwt.signingInput);
  if (alg === 'RS256') return verifier.verify(key, jwt.signature);
  if (alg === 'PS256') {
    return verifier.verify(
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
      jwt.signature,
    );
  }
  return false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
