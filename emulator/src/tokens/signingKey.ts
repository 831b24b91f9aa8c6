// The emulator's token-signing key: RSA, persisted beside the CA so tokens held by a running app stay valid
// across emulator restarts. Published through each tenant's JWKS.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as a JWK with kid, use and alg. */
  jwk: Record<string, unknown>;
}

export function loadOrCreateSigningKey(dir: string): SigningKey {
  const path = join(dir, 'token-signing.key');
  let pem: string;
  if (existsSync(path)) pem = readFileSync(path, 'utf8');
  else {
    mkdirSync(dir, { recursive: true });
    pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    writeFileSync(path, pem, { mode: 0o600 });
  }
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const kid = createHash('sha256').update(String(jwk.n)).digest('base64url').slice(0, 27);
  return { kid, privateKey, publicKey, jwk: { ...jwk, kid, use: 'sig', alg: 'RS256', kty: 'RSA' } };
}
