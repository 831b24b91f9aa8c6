// The emulator's TLS: a CA generated on first start (kept in a git-ignored folder so NODE_EXTRA_CA_CERTS can trust
// it across runs) and a fresh server certificate for loopback signed by it at every start.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
  /** Path of the CA certificate file (what NODE_EXTRA_CA_CERTS names). */
  certPath: string;
}

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
}

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64.trimEnd()}\n-----END ${label}-----\n`;
}

function fromPem(pem: string): ArrayBuffer {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const buf = Buffer.from(b64, 'base64');
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}

/** Loads the CA from `dir`, creating it (10 years) when absent. */
export async function ensureCertificateAuthority(dir: string): Promise<CertificateAuthority> {
  const certPath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'ca.key');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8'), certPath };
  }
  mkdirSync(dir, { recursive: true });
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=Tenure local Microsoft cloud emulator CA',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 3650 * 86_400_000),
    keys,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = cert.toString('pem') + '\n';
  const keyPem = toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  writeFileSync(keyPath, keyPem, { mode: 0o600 });
  writeFileSync(certPath, certPem);
  return { certPem, keyPem, certPath };
}

/** A server certificate for the given DNS names and IP addresses, signed by the CA, valid for 30 days. */
export async function issueServerCertificate(
  ca: CertificateAuthority,
  hosts: { dns: string[]; ips: string[] } = { dns: ['localhost'], ips: ['127.0.0.1', '::1'] },
): Promise<ServerCertificate> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await webcrypto.subtle.importKey('pkcs8', fromPem(ca.keyPem), RSA, false, ['sign']);
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${hosts.dns[0] ?? hosts.ips[0] ?? 'localhost'}`,
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 30 * 86_400_000),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...hosts.dns.map((value) => ({ type: 'dns' as const, value })),
        ...hosts.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem: toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY'),
  };
}
