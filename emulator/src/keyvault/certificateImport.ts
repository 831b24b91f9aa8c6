// Certificate import (POST /certificates/{name}/import): a PEM bundle with the private key and the certificate
// becomes a new certificate version with its managed key and secret, published at once (no pending operation).
// PKCS#12 import is not emulated (node:crypto cannot open a PFX); the answer says so.
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { assembleVersion, certificateBundle, publish } from './certificateVersions';
import { KeyVaultError, badParameter, deletedConflict } from './errors';
import type { CertificateEntry } from './model';
import { PEM, policyIn } from './policy';
import { latest } from './secrets';
import type { Call } from './service';
import { validName } from './vault';
import { objectBody, tagsIn, type WireAttributes } from './wire';

const KEY_BLOCK =
  /-----BEGIN (ENCRYPTED |RSA )?PRIVATE KEY-----[\s\S]+?-----END (ENCRYPTED |RSA )?PRIVATE KEY-----/;
const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const MONTH_MS = 30.44 * 86_400_000;

export function importCertificate(call: Call) {
  const name = call.req.params.name!;
  if (!validName(name))
    throw badParameter(
      `The request URI contains an invalid name: ${name}. Names may contain only 0-9, a-z, A-Z and -.`,
    );
  const body = objectBody(call.req);
  const { vault, now } = call;
  if (typeof body.value !== 'string' || body.value === '')
    throw badParameter('Property value is required: the certificate to import.');
  if (vault.certificates.getDeleted(name, now)) throw deletedConflict('certificate', name);
  const existing = vault.certificates.get(name);
  if (existing?.pending?.status === 'inProgress' || vault.creating.has(name.toLowerCase()))
    throw new KeyVaultError(409, 'Conflict', `There is a pending certificate operation for ${name}.`);
  if (!existing && (vault.keys.get(name) || vault.secrets.get(name)))
    throw new KeyVaultError(
      409,
      'Conflict',
      `Certificate ${name} cannot be imported: a key or secret with the same name already exists in this vault.`,
    );
  if (!body.value.includes('-----BEGIN'))
    throw badParameter(
      'The emulator imports PEM only (private key and certificate, policy.secret_props.contentType ' +
        'application/x-pem-file); PKCS#12 import is not emulated.',
    );
  const { privateKey, certificate } = parsePem(body.value, body.pwd);
  const publicKey = createPublicKey(privateKey);
  const notBefore = Date.parse(certificate.validFrom);
  const notAfter = Date.parse(certificate.validTo);
  const derived = policyIn(
    {
      key_props: {
        exportable: true,
        kty: 'RSA',
        key_size: privateKey.asymmetricKeyDetails?.modulusLength,
        reuse_key: false,
      },
      secret_props: { contentType: PEM },
      x509_props: {
        subject: certificate.subject.split('\n').join(', '),
        sans: sansOf(certificate),
        validity_months: Math.max(1, Math.round((notAfter - notBefore) / MONTH_MS)),
      },
      issuer: { name: 'Unknown' },
    },
    now,
  );
  const policy = body.policy ? policyIn(body.policy, now, derived) : derived;
  const entry: CertificateEntry = existing ?? { name, policy, versions: [] };
  entry.policy = policy;
  const attrs = body.attributes as WireAttributes | undefined;
  entry.staged = assembleVersion(
    call,
    entry,
    { privateKey, publicKey },
    certificate.raw,
    { notBefore, notAfter },
    now,
    attrs?.enabled ?? true,
    tagsIn(body.tags),
  );
  publish(vault, entry);
  vault.certificates.set(entry);
  return { status: 200, body: certificateBundle(call, entry, latest(entry), true) };
}

function parsePem(value: string, pwd: unknown): { privateKey: KeyObject; certificate: X509Certificate } {
  const keyBlock = KEY_BLOCK.exec(value)?.[0];
  if (!keyBlock)
    throw badParameter('The specified PEM X.509 certificate content does not contain a private key.');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: keyBlock, passphrase: typeof pwd === 'string' ? pwd : undefined });
  } catch {
    throw badParameter('The private key could not be read: wrong password or malformed PEM.');
  }
  if (privateKey.asymmetricKeyType !== 'rsa')
    throw badParameter('The emulator imports RSA certificates only.');
  const certBlocks = value.match(CERT_BLOCK) ?? [];
  if (certBlocks.length === 0)
    throw badParameter('The specified PEM content does not contain an X.509 certificate.');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certBlocks[0]!);
  } catch {
    throw badParameter('The X.509 certificate could not be parsed.');
  }
  if (!certificate.checkPrivateKey(privateKey))
    throw badParameter('The private key does not match the public key of the certificate.');
  return { privateKey, certificate };
}

function sansOf(certificate: X509Certificate): Record<string, string[]> | undefined {
  const sans: Record<string, string[]> = {};
  for (const part of (certificate.subjectAltName ?? '').split(/,\s*/)) {
    const m = /^(DNS|email|URI|IP Address):(.+)$/.exec(part);
    if (!m) continue;
    const key = { DNS: 'dns_names', email: 'emails', URI: 'uris', 'IP Address': 'ipAddresses' }[m[1]!]!;
    (sans[key] ??= []).push(m[2]!);
  }
  return Object.keys(sans).length > 0 ? sans : undefined;
}
