// Per-connection certificates in Key Vault: RSA 2048, NOT exportable (the private key never leaves the vault),
// 12 months, renewed automatically 30 days before expiry. Tenure only ever reads the public part.
import { createHash, X509Certificate } from 'node:crypto';
import type { CertificateClient, CertificatePolicy } from '@azure/keyvault-certificates';

export function connectionCertificatePolicy(connectionId: string): CertificatePolicy {
  return {
    issuerName: 'Self',
    subject: `CN=Tenure connection ${connectionId}`,
    keyType: 'RSA',
    keySize: 2048,
    exportable: false,
    reuseKey: false,
    validityInMonths: 12,
    contentType: 'application/x-pem-file',
    keyUsage: ['digitalSignature'],
    lifetimeActions: [{ action: 'AutoRenew', daysBeforeExpiry: 30 }],
  };
}

export interface PublicCertificate {
  version: string;
  /** Key Vault key id of this version: what signs client assertions. */
  keyId: string;
  der: Buffer;
  pem: string;
  /** base64url SHA-1 (x5t) and SHA-256 (x5t#S256) thumbprints of the DER. */
  x5t: string;
  x5tS256: string;
  /** Hex SHA-1 thumbprint as the Entra portal shows it. */
  thumbprintHex: string;
  notBefore: string;
  notAfter: string;
}

export async function createConnectionCertificate(
  certs: CertificateClient,
  name: string,
  connectionId: string,
  pollIntervalMs = 1_000,
): Promise<PublicCertificate> {
  const poller = await certs.beginCreateCertificate(name, connectionCertificatePolicy(connectionId), {
    intervalInMs: pollIntervalMs,
  });
  await poller.pollUntilDone();
  return publicCertificate(certs, name);
}

/** The public certificate of the latest (or a given) version. */
export async function publicCertificate(
  certs: CertificateClient,
  name: string,
  version?: string,
): Promise<PublicCertificate> {
  const cert = version ? await certs.getCertificateVersion(name, version) : await certs.getCertificate(name);
  if (!cert.cer || !cert.keyId || !cert.properties.version)
    throw new Error(`certificate ${name} has no public part yet`);
  const der = Buffer.from(cert.cer);
  const x509 = new X509Certificate(der);
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return {
    version: cert.properties.version,
    keyId: cert.keyId,
    der,
    pem: `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`,
    x5t: createHash('sha1').update(der).digest('base64url'),
    x5tS256: createHash('sha256').update(der).digest('base64url'),
    thumbprintHex: createHash('sha1').update(der).digest('hex').toUpperCase(),
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: new Date(x509.validTo).toISOString(),
  };
}

const SWITCH_BEFORE_EXPIRY_MS = 7 * 86_400_000;

export interface SigningChoice {
  /** The version that signs now. */
  version: string;
  expiresOn?: Date;
  /** A newer version the operator must upload to the app registration before `expiresOn` (when there is one). */
  newer?: { version: string; expiresOn?: Date };
}

/**
 * Which version of a certificate Tenure cannot track uploads of (the service-provider app's) signs with: the oldest
 * enabled version still valid for more than 7 days — the one the app registration has — else the newest. Key Vault
 * renews 30 days before expiry, so the operator has about three weeks to upload the renewed certificate, and a
 * version disabled in Key Vault is never used (how an operator rotates early).
 */
export async function chooseSigningVersion(
  certs: Pick<CertificateClient, 'listPropertiesOfCertificateVersions'>,
  name: string,
  now: Date,
): Promise<SigningChoice> {
  const versions: { version: string; createdOn: number; expiresOn?: Date }[] = [];
  for await (const p of certs.listPropertiesOfCertificateVersions(name)) {
    if (!p.version || p.enabled === false) continue;
    if (p.expiresOn && p.expiresOn.getTime() <= now.getTime()) continue;
    versions.push({ version: p.version, createdOn: p.createdOn?.getTime() ?? 0, expiresOn: p.expiresOn });
  }
  versions.sort((a, b) => a.createdOn - b.createdOn);
  const newest = versions.at(-1);
  if (!newest) throw new Error(`certificate ${name} has no enabled, unexpired version`);
  const settled = versions.find(
    (v) => !v.expiresOn || v.expiresOn.getTime() - now.getTime() > SWITCH_BEFORE_EXPIRY_MS,
  );
  const signing = settled ?? newest;
  return {
    version: signing.version,
    expiresOn: signing.expiresOn,
    newer: signing === newest ? undefined : { version: newest.version, expiresOn: newest.expiresOn },
  };
}
