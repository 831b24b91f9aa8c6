// A certificate version and what comes with it: the managed key and secret versions of the same name and version,
// the secret's PEM/PFX value (private key only when exportable), publication into the vault, and the wire bundle.
import { createHash, type KeyObject } from 'node:crypto';
import { issueSelfSigned } from './issue';
import { RSA_KEY_OPS, generateRsaKeyPair, keyId } from './keys';
import type {
  CertificateEntry,
  CertificateVersion,
  CertificatePolicy,
  KeyVersion,
  SecretVersion,
} from './model';
import { buildPfx } from './pfx';
import { PEM, policyOut } from './policy';
import { latest } from './secrets';
import type { Call } from './service';
import { newVersion, type Vault } from './vault';
import { attributesOut } from './wire';

export type Staged = NonNullable<CertificateEntry['staged']>;

/** Key, certificate and secret for a new version (published when the pending operation completes). */
export async function prepareVersion(
  call: Pick<Call, 'base' | 'vault'>,
  entry: CertificateEntry,
  now: number,
  enabled: boolean,
  tags: Record<string, string> | undefined,
) {
  const { policy } = entry;
  const keyEntry = call.vault.keys.get(entry.name);
  const previous = keyEntry && keyEntry.versions.length > 0 ? latest(keyEntry) : undefined;
  const pair =
    policy.key_props.reuse_key && previous
      ? { privateKey: previous.privateKey, publicKey: previous.publicKey }
      : await generateRsaKeyPair(policy.key_props.key_size ?? 2048);
  const issued = await issueSelfSigned(policy, pair, now);
  const version = assembleVersion(
    call,
    entry,
    pair,
    issued.der,
    { notBefore: issued.notBefore, notAfter: issued.notAfter },
    now,
    enabled,
    tags,
  );
  return { version, csr: issued.csr };
}

/** The certificate, key and secret versions (one version id) for a certificate and its key pair. */
export function assembleVersion(
  call: Pick<Call, 'base'>,
  entry: CertificateEntry,
  pair: { privateKey: KeyObject; publicKey: KeyObject },
  der: Buffer,
  validity: { notBefore: number; notAfter: number },
  now: number,
  enabled: boolean,
  tags: Record<string, string> | undefined,
): Staged {
  const { policy } = entry;
  const version = newVersion();
  const attributes = {
    enabled,
    notBefore: validity.notBefore,
    expires: validity.notAfter,
    created: now,
    updated: now,
  };
  const cert: CertificateVersion = { version, der, tags, attributes: { ...attributes } };
  const key: KeyVersion = {
    version,
    kty: policy.key_props.kty === 'RSA-HSM' ? 'RSA-HSM' : 'RSA',
    keyOps: [...RSA_KEY_OPS],
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    exportable: policy.key_props.exportable,
    attributes: { ...attributes },
    managed: true,
  };
  const secret: SecretVersion = {
    version,
    value: secretValue(policy, der, pair.privateKey),
    contentType: policy.secret_props.contentType,
    attributes: { ...attributes },
    kid: keyId(call, entry, key),
    managed: true,
  };
  return { cert, key, secret };
}

/** The certificate's secret: PEM or PFX, with the private key only when the policy says exportable. */
function secretValue(policy: CertificatePolicy, der: Buffer, privateKey: KeyObject): string {
  const exportable = policy.key_props.exportable;
  if (policy.secret_props.contentType === PEM) {
    const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').trimEnd()}\n-----END CERTIFICATE-----\n`;
    const keyPem = exportable ? (privateKey.export({ type: 'pkcs8', format: 'pem' }) as string) : '';
    return keyPem + certPem;
  }
  const pkcs8 = exportable ? (privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer) : undefined;
  return buildPfx(der, pkcs8).toString('base64');
}

export function publish(vault: Vault, entry: CertificateEntry): void {
  const staged = entry.staged;
  if (!staged) return;
  entry.versions.push(staged.cert);
  let key = vault.keys.get(entry.name);
  if (!key) {
    key = { name: entry.name, versions: [] };
    vault.keys.set(key);
  }
  key.versions.push(staged.key);
  let secret = vault.secrets.get(entry.name);
  if (!secret) {
    secret = { name: entry.name, versions: [] };
    vault.secrets.set(secret);
  }
  secret.versions.push(staged.secret);
  entry.staged = undefined;
}

export function thumbprint(der: Buffer): string {
  return createHash('sha1').update(der).digest('base64url');
}

export function certificateBundle(
  call: Pick<Call, 'base'>,
  entry: CertificateEntry,
  v: CertificateVersion,
  withPolicy: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: `${call.base}/certificates/${entry.name}/${v.version}`,
    kid: `${call.base}/keys/${entry.name}/${v.version}`,
    sid: `${call.base}/secrets/${entry.name}/${v.version}`,
    x5t: thumbprint(v.der),
    cer: v.der.toString('base64'),
    attributes: attributesOut(v.attributes),
  };
  if (withPolicy) out.policy = policyOut(call.base, entry.name, entry.policy);
  if (v.tags) out.tags = v.tags;
  return out;
}
