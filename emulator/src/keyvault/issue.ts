// Self-signed issuance (issuer "Self"): the CSR and the certificate Key Vault would produce from a policy —
// subject, SANs, EKUs, key usage, validity in months — signed with the certificate's own RSA key (SHA-256).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import type { CertificatePolicy } from './model';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

const KEY_USAGE: Record<string, number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  nonRepudiation: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
  cRLSign: x509.KeyUsageFlags.cRLSign,
  encipherOnly: x509.KeyUsageFlags.encipherOnly,
  decipherOnly: x509.KeyUsageFlags.decipherOnly,
};
export const KEY_USAGE_NAMES = Object.keys(KEY_USAGE);

export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

async function cryptoKeys(privateKey: KeyObject, publicKey: KeyObject) {
  return {
    privateKey: await webcrypto.subtle.importKey(
      'pkcs8',
      privateKey.export({ type: 'pkcs8', format: 'der' }),
      ALG,
      false,
      ['sign'],
    ),
    publicKey: await webcrypto.subtle.importKey(
      'spki',
      publicKey.export({ type: 'spki', format: 'der' }),
      ALG,
      true,
      ['verify'],
    ),
  };
}

function extensions(policy: CertificatePolicy): x509.Extension[] {
  const p = policy.x509_props;
  const out: x509.Extension[] = [];
  const usage = (p.key_usage ?? []).reduce((flags, name) => flags | (KEY_USAGE[name] ?? 0), 0);
  if (usage) out.push(new x509.KeyUsagesExtension(usage, true));
  if (p.ekus && p.ekus.length > 0) out.push(new x509.ExtendedKeyUsageExtension(p.ekus, false));
  const sans = p.sans ?? {};
  const names: x509.JsonGeneralName[] = [
    ...(sans.dns_names ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(sans.emails ?? []).map((value) => ({ type: 'email' as const, value })),
    ...(sans.upns ?? []).map((value) => ({ type: 'upn' as const, value })),
    ...(sans.uris ?? []).map((value) => ({ type: 'url' as const, value })),
    ...(sans.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) out.push(new x509.SubjectAlternativeNameExtension(names, false));
  out.push(new x509.BasicConstraintsExtension(p.basic_constraints?.ca ?? false, undefined, true));
  return out;
}

/** Attribute types upper-cased ("cn=MyCert", the SDK's default policy, → "CN=MyCert"); empty for SAN-only. */
function x500(subject: string | undefined): string {
  return (subject ?? '').replace(
    /(^|,|\+)(\s*)([A-Za-z]+)(\s*)=/g,
    (_m, sep: string, a: string, type: string, b: string) => `${sep}${a}${type.toUpperCase()}${b}=`,
  );
}

export interface Issued {
  der: Buffer;
  csr: Buffer;
  notBefore: number;
  notAfter: number;
}

/** A CSR and a self-signed certificate valid from `notBefore` for the policy's validity_months. */
export async function issueSelfSigned(
  policy: CertificatePolicy,
  pair: { privateKey: KeyObject; publicKey: KeyObject },
  notBefore: number,
): Promise<Issued> {
  const keys = await cryptoKeys(pair.privateKey, pair.publicKey);
  const exts = extensions(policy);
  const subject = x500(policy.x509_props.subject);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subject,
    keys,
    signingAlgorithm: ALG,
    extensions: exts,
  });
  const notAfter = addMonths(notBefore, policy.x509_props.validity_months);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(16)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    subject,
    issuer: subject,
    notBefore: new Date(Math.floor(notBefore / 1000) * 1000),
    notAfter: new Date(Math.floor(notAfter / 1000) * 1000),
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    signingAlgorithm: ALG,
    extensions: [...exts, await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)],
  });
  return {
    der: Buffer.from(cert.rawData),
    csr: Buffer.from(csr.rawData),
    notBefore: Math.floor(notBefore / 1000) * 1000,
    notAfter: Math.floor(notAfter / 1000) * 1000,
  };
}
