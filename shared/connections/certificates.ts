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
