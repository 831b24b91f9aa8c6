// Signing a precomputed digest as Key Vault does: RSASSA-PKCS1-v1_5 (RS*) wraps the digest in a DigestInfo;
// RSASSA-PSS (PS*) uses MGF1 with the same hash and a salt as long as the digest (RFC 8017 §9.1). node:crypto only
// signs messages, so both encodings are built here and applied with the raw RSA primitive.
import {
  constants,
  createHash,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { badParameter } from './errors';

type Hash = 'sha256' | 'sha384' | 'sha512';

const DIGEST_INFO: Record<Hash, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};
const DIGEST_BYTES: Record<Hash, number> = { sha256: 32, sha384: 48, sha512: 64 };

export const RSA_SIGNING_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

function parse(alg: string): { scheme: 'RS' | 'PS'; hash: Hash } {
  const m = /^(RS|PS)(256|384|512)$/.exec(alg);
  if (!m)
    throw badParameter(`Invalid algorithm: ${alg}. An RSA key signs with RS256/384/512 or PS256/384/512.`);
  return { scheme: m[1] as 'RS' | 'PS', hash: `sha${m[2]}` as Hash };
}

function checkDigest(hash: Hash, digest: Buffer): void {
  if (digest.length !== DIGEST_BYTES[hash])
    throw badParameter(
      `Invalid digest length: expected ${DIGEST_BYTES[hash]} bytes for ${hash.toUpperCase()}.`,
    );
}

function modulusBits(key: KeyObject): number {
  return key.asymmetricKeyDetails?.modulusLength ?? 2048;
}

function mgf1(seed: Buffer, length: number, hash: Hash): Buffer {
  const out: Buffer[] = [];
  for (let counter = 0; Buffer.concat(out).length < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    out.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(out).subarray(0, length);
}

function pssEncode(digest: Buffer, hash: Hash, emBits: number): Buffer {
  const hLen = digest.length;
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const masked = mgf1(h, emLen - hLen - 1, hash).map((b, i) => b ^ db[i]!);
  masked[0]! &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([Buffer.from(masked), h, Buffer.from([0xbc])]);
}

function pssVerify(digest: Buffer, em: Buffer, hash: Hash, emBits: number): boolean {
  const hLen = digest.length;
  const emLen = Math.ceil(emBits / 8);
  if (em.length < emLen) em = Buffer.concat([Buffer.alloc(emLen - em.length), em]);
  if (em.length !== emLen || em[emLen - 1] !== 0xbc) return false;
  const masked = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const db = Buffer.from(mgf1(h, emLen - hLen - 1, hash).map((b, i) => b ^ masked[i]!));
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const sep = emLen - 2 * hLen - 2;
  if (!db.subarray(0, sep).every((b) => b === 0) || db[sep] !== 1) return false;
  const salt = db.subarray(sep + 1);
  const expected = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return expected.equals(h);
}

/** Signs `digest` (already hashed by the caller) with the key's private part. */
export function signDigest(privateKey: KeyObject, alg: string, digest: Buffer): Buffer {
  const { scheme, hash } = parse(alg);
  checkDigest(hash, digest);
  if (scheme === 'RS')
    return privateEncrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([DIGEST_INFO[hash], digest]),
    );
  return privateEncrypt(
    { key: privateKey, padding: constants.RSA_NO_PADDING },
    pssEncode(digest, hash, modulusBits(privateKey) - 1),
  );
}

export function verifyDigest(publicKey: KeyObject, alg: string, digest: Buffer, signature: Buffer): boolean {
  const { scheme, hash } = parse(alg);
  checkDigest(hash, digest);
  try {
    if (scheme === 'RS') {
      const em = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
      return em.equals(Buffer.concat([DIGEST_INFO[hash], digest]));
    }
    const em = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
    const bits = modulusBits(publicKey) - 1;
    return pssVerify(digest, em.subarray(em.length - Math.ceil(bits / 8)), hash, bits);
  } catch {
    return false;
  }
}
