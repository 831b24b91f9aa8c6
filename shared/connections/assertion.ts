// Client assertions (private_key_jwt) signed by Key Vault: the JWT is built here, its SHA-256 digest is signed
// with the certificate's non-exportable key through the Key Vault sign operation. PS256 with x5t#S256, as
// Microsoft's certificate-credential page now documents.
import { createHash, randomUUID } from 'node:crypto';

/** The part of @azure/keyvault-keys' CryptographyClient this needs (a seam for tests). */
export interface AssertionSigner {
  sign(algorithm: 'PS256', digest: Uint8Array): Promise<{ result: Uint8Array }>;
}

export interface AssertionInput {
  signer: AssertionSigner;
  /** base64url SHA-256 thumbprint of the certificate's DER. */
  x5tS256: string;
  clientId: string;
  /** The token endpoint the assertion is for (its `aud`). */
  tokenEndpoint: string;
  now: Date;
  lifetimeSeconds?: number;
}

export async function signClientAssertion(input: AssertionInput): Promise<string> {
  const iat = Math.floor(input.now.getTime() / 1000);
  const header = { alg: 'PS256', typ: 'JWT', 'x5t#S256': input.x5tS256 };
  const claims = {
    aud: input.tokenEndpoint,
    iss: input.clientId,
    sub: input.clientId,
    jti: randomUUID(),
    iat,
    nbf: iat,
    exp: iat + (input.lifetimeSeconds ?? 600),
  };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const digest = createHash('sha256').update(signingInput).digest();
  const { result } = await input.signer.sign('PS256', digest);
  return `${signingInput}.${Buffer.from(result).toString('base64url')}`;
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

/** The claims of a JWT access token, read without checking it (Tenure only reads what Entra issued to it). */
export function readTokenClaims(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
