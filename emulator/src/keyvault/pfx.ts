// A minimal PKCS#12 (RFC 7292) writer for certificate secrets: one unencrypted SafeContents holding the
// certificate and, only when the policy is exportable, the private key (keyBag), protected by an HMAC-SHA256 MAC
// under the empty password — what Key Vault hands out for application/x-pkcs12 (no password).
import { createHash, createHmac, randomBytes } from 'node:crypto';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, content: Buffer): Buffer =>
  Buffer.concat([Buffer.from([tag]), length(content.length), content]);
const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const explicit0 = (b: Buffer): Buffer => tlv(0xa0, b);
const NULL = Buffer.from([0x05, 0x00]);

function integer(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  sha256: '2.16.840.1.101.3.4.2.1',
};

/** RFC 7292 appendix B.2 key derivation (ID 3 = MAC key) with SHA-256, for one output block. */
function macKey(password: string, salt: Buffer, iterations: number): Buffer {
  const v = 64;
  const fill = (b: Buffer): Buffer => {
    if (b.length === 0) return b;
    const out = Buffer.alloc(v * Math.ceil(b.length / v));
    for (let i = 0; i < out.length; i++) out[i] = b[i % b.length]!;
    return out;
  };
  const pwd = Buffer.concat([Buffer.from(password, 'utf16le').swap16(), Buffer.alloc(2)]);
  let a = Buffer.concat([Buffer.alloc(v, 3), fill(salt), fill(pwd)]);
  for (let i = 0; i < iterations; i++) a = createHash('sha256').update(a).digest();
  return a;
}

export function buildPfx(certificateDer: Buffer, privateKeyPkcs8Der?: Buffer): Buffer {
  const keyId = set(octets(createHash('sha1').update(certificateDer).digest()));
  const attributes = set(seq(oid(OID.localKeyId), keyId));
  const bags: Buffer[] = [
    seq(
      oid(OID.certBag),
      explicit0(seq(oid(OID.x509Certificate), explicit0(octets(certificateDer)))),
      attributes,
    ),
  ];
  if (privateKeyPkcs8Der) bags.push(seq(oid(OID.keyBag), explicit0(privateKeyPkcs8Der), attributes));
  const safeContents = seq(...bags);
  const authSafe = seq(seq(oid(OID.data), explicit0(octets(safeContents))));
  const salt = randomBytes(16);
  const iterations = 2048;
  const mac = createHmac('sha256', macKey('', salt, iterations))
    .update(authSafe)
    .digest();
  const macData = seq(seq(seq(oid(OID.sha256), NULL), octets(mac)), octets(salt), integer(iterations));
  return seq(integer(3), seq(oid(OID.data), explicit0(octets(authSafe))), macData);
}
