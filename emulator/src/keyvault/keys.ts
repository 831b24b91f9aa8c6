// Keys: create (RSA), get (the public JWK only — a private part never leaves the vault through any API), list,
// versions, update, soft delete/recover/purge, and the cryptographic operations done inside the vault: sign,
// verify, encrypt, decrypt, wrapkey, unwrapkey. Release/export of key material is refused for non-exportable keys.
import { constants, generateKeyPair, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { KeyVaultError, badParameter, deletedConflict, deletedNotFound, forbidden, notFound } from './errors';
import type { KeyEntry, KeyVersion } from './model';
import { page } from './paging';
import type { Call, KeyVaultRoutes } from './service';
import { signDigest, verifyDigest } from './signing';
import { newVersion, validName } from './vault';
import { latest } from './secrets';
import {
  applyAttributes,
  attributesIn,
  attributesOut,
  deletedOut,
  objectBody,
  tagsIn,
  type WireAttributes,
} from './wire';

export const RSA_KEY_OPS = ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'];
const generateRsa = promisify(generateKeyPair);

export async function generateRsaKeyPair(
  bits: number,
  publicExponent = 65537,
): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return generateRsa('rsa', { modulusLength: bits, publicExponent });
}

export function registerKeyRoutes(routes: KeyVaultRoutes): void {
  routes.add('GET', '/keys', 'keys list', (call) => {
    const items = call.vault.keys.list().map((e) => keyItem(call, e, latest(e), false));
    return { status: 200, body: page(items, call.req, call.base, call.apiVersion) };
  });
  routes.add('GET', '/deletedkeys', 'keys list', (call) => {
    const items = call.vault.keys.listDeleted(call.now).map((d) => ({
      ...keyItem(call, d.entry, latest(d.entry), false),
      ...deletedOut(d, `${call.base}/deletedkeys/${d.entry.name}`),
    }));
    return { status: 200, body: page(items, call.req, call.base, call.apiVersion) };
  });
  routes.add('GET', '/deletedkeys/{name}', 'keys get', (call) => {
    const d = call.vault.keys.getDeleted(call.req.params.name!, call.now);
    if (!d) throw deletedNotFound('key', call.req.params.name!);
    return {
      status: 200,
      body: {
        ...keyBundle(call, d.entry, latest(d.entry)),
        ...deletedOut(d, `${call.base}/deletedkeys/${d.entry.name}`),
      },
    };
  });
  routes.add('POST', '/deletedkeys/{name}/recover', 'keys recover', (call) => {
    const d = call.vault.keys.getDeleted(call.req.params.name!, call.now);
    if (!d) throw deletedNotFound('key', call.req.params.name!);
    if (latest(d.entry).managed) throw forbidden('Operation recover is not allowed on a managed key.');
    const entry = call.vault.keys.recover(d.entry.name)!;
    return { status: 200, body: keyBundle(call, entry, latest(entry)) };
  });
  routes.add('DELETE', '/deletedkeys/{name}', 'keys purge', (call) => {
    const d = call.vault.keys.getDeleted(call.req.params.name!, call.now);
    if (!d) throw deletedNotFound('key', call.req.params.name!);
    if (latest(d.entry).managed) throw forbidden('Operation purge is not allowed on a managed key.');
    call.vault.keys.purge(d.entry.name);
    return { status: 204 };
  });
  routes.add('POST', '/keys/{name}/create', 'keys create', (call) => createKey(call));
  routes.add('GET', '/keys/{name}/versions', 'keys list', (call) => {
    const entry = existing(call);
    const items = entry.versions.map((v) => keyItem(call, entry, v, true));
    return { status: 200, body: page(items, call.req, call.base, call.apiVersion) };
  });
  for (const path of ['/keys/{name}', '/keys/{name}/{version}']) {
    routes.add('GET', path, 'keys get', (call) => {
      const entry = existing(call);
      return { status: 200, body: keyBundle(call, entry, versionOf(call, entry)) };
    });
    routes.add('PATCH', path, 'keys update', (call) => updateKey(call));
  }
  routes.add('DELETE', '/keys/{name}', 'keys delete', (call) => {
    const entry = existing(call);
    if (latest(entry).managed) throw forbidden('Operation delete is not allowed on a managed key.');
    const d = call.vault.keys.softDelete(entry.name, call.now)!;
    return {
      status: 200,
      body: {
        ...keyBundle(call, entry, latest(entry)),
        ...deletedOut(d, `${call.base}/deletedkeys/${entry.name}`),
      },
    };
  });
  for (const op of ['sign', 'verify', 'encrypt', 'decrypt', 'wrapkey', 'unwrapkey', 'release', 'export']) {
    const permission = op === 'export' ? 'keys export' : `keys ${op}`;
    routes.add('POST', `/keys/{name}/{version}/${op}`, permission, (call) => keyOperation(call, op));
    routes.add('POST', `/keys/{name}/${op}`, permission, (call) => keyOperation(call, op));
  }
}

async function createKey(call: Call) {
  const name = call.req.params.name!;
  if (!validName(name))
    throw badParameter(
      `The request URI contains an invalid name: ${name}. Names may contain only 0-9, a-z, A-Z and -.`,
    );
  const body = objectBody(call.req);
  const kty = body.kty;
  if (kty !== 'RSA' && kty !== 'RSA-HSM')
    throw badParameter(
      `The emulator creates RSA keys only (kty RSA or RSA-HSM); got ${String(kty)}. See emulator/docs/keyvault.md.`,
    );
  const size = body.key_size ?? 2048;
  if (size !== 2048 && size !== 3072 && size !== 4096)
    throw badParameter(`Invalid key size ${String(size)}: RSA keys are 2048, 3072 or 4096 bits.`);
  const exponent = body.public_exponent ?? 65537;
  if (typeof exponent !== 'number' || exponent < 3 || exponent % 2 === 0)
    throw badParameter('public_exponent must be an odd integer of at least 3.');
  const keyOps = body.key_ops ?? RSA_KEY_OPS;
  if (!Array.isArray(keyOps) || keyOps.some((o) => !RSA_KEY_OPS.includes(o as string)))
    throw badParameter(`key_ops must be a subset of ${RSA_KEY_OPS.join(', ')}.`);
  const attrs = body.attributes as (WireAttributes & { exportable?: boolean }) | undefined;
  const exportable = attrs?.exportable === true;
  if (exportable && !body.release_policy)
    throw badParameter('Exportable keys must have a release policy (release_policy).');
  if (call.vault.keys.getDeleted(name, call.now)) throw deletedConflict('key', name);
  let entry = call.vault.keys.get(name);
  if (entry && latest(entry).managed) throw forbidden('Operation create is not allowed on a managed key.');
  const pair = await generateRsaKeyPair(size as number, exponent);
  if (!entry) {
    entry = { name, versions: [] };
    call.vault.keys.set(entry);
  }
  const version: KeyVersion = {
    version: newVersion(),
    kty,
    keyOps: keyOps as string[],
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    exportable,
    releasePolicy: body.release_policy,
    tags: tagsIn(body.tags),
    attributes: attributesIn(attrs, call.now),
  };
  entry.versions.push(version);
  return { status: 200, body: keyBundle(call, entry, version) };
}

function updateKey(call: Call) {
  const entry = existing(call);
  const v = versionOf(call, entry);
  const body = objectBody(call.req);
  if (body.key_ops !== undefined) {
    if (!Array.isArray(body.key_ops) || body.key_ops.some((o) => !RSA_KEY_OPS.includes(o as string)))
      throw badParameter(`key_ops must be a subset of ${RSA_KEY_OPS.join(', ')}.`);
    v.keyOps = body.key_ops as string[];
  }
  if (body.tags !== undefined) v.tags = tagsIn(body.tags);
  const attrs = body.attributes as (WireAttributes & { exportable?: boolean }) | undefined;
  if (attrs?.exportable !== undefined && attrs.exportable !== v.exportable)
    throw badParameter('The exportable attribute of a key cannot be changed.');
  applyAttributes(v.attributes, attrs, call.now);
  v.attributes.updated = call.now;
  return { status: 200, body: keyBundle(call, entry, v) };
}

function keyOperation(call: Call, op: string) {
  const entry = existing(call);
  const v = versionOf(call, entry);
  const kid = keyId(call, entry, v);
  if (op === 'release' || op === 'export') {
    // Only exportable keys with a release policy can ever be released, and only to an attested environment.
    if (!v.exportable) throw forbidden(`Operation ${op} is not allowed on a non-exportable key.`);
    throw forbidden(
      `Operation ${op} requires an attestation that satisfies the key's release policy; the emulator has no ` +
        `attestation service, so no key material is ever released.`,
    );
  }
  const opName = { wrapkey: 'wrapKey', unwrapkey: 'unwrapKey' }[op] ?? op;
  if (!v.attributes.enabled)
    throw new KeyVaultError(
      403,
      'Forbidden',
      `Operation ${opName} is not allowed on a disabled key.`,
      'KeyDisabled',
    );
  if (v.attributes.notBefore !== undefined && call.now < v.attributes.notBefore)
    throw forbidden(`Operation ${opName} is not allowed on a key that is not yet valid (nbf).`);
  if (v.attributes.expires !== undefined && call.now > v.attributes.expires)
    throw forbidden(`Operation ${opName} is not allowed on an expired key.`);
  if (!v.keyOps.includes(opName)) throw forbidden(`Operation ${opName} is not allowed by the key's key_ops.`);
  const body = objectBody(call.req);
  const alg = body.alg;
  if (typeof alg !== 'string') throw badParameter('Property alg is required.');
  const value = base64urlField(body, 'value');
  switch (op) {
    case 'sign':
      return {
        status: 200,
        body: { kid, value: signDigest(v.privateKey, alg, value).toString('base64url') },
      };
    case 'verify': {
      const digest = base64urlField(body, 'digest');
      return { status: 200, body: { value: verifyDigest(v.publicKey, alg, digest, value) } };
    }
    case 'encrypt':
    case 'wrapkey':
      return {
        status: 200,
        body: { kid, value: publicEncrypt(padding(alg, v.publicKey), value).toString('base64url') },
      };
    default:
      try {
        return {
          status: 200,
          body: { kid, value: privateDecrypt(padding(alg, v.privateKey), value).toString('base64url') },
        };
      } catch {
        throw badParameter('The ciphertext could not be decrypted with this key and algorithm.');
      }
  }
}

function padding(alg: string, key: KeyObject) {
  switch (alg) {
    case 'RSA-OAEP':
      return { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' };
    case 'RSA-OAEP-256':
      return { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' };
    case 'RSA1_5':
      return { key, padding: constants.RSA_PKCS1_PADDING };
    default:
      throw badParameter(
        `Invalid algorithm: ${alg}. RSA keys encrypt with RSA-OAEP, RSA-OAEP-256 or RSA1_5.`,
      );
  }
}

function base64urlField(body: Record<string, unknown>, field: string): Buffer {
  const v = body[field];
  if (typeof v !== 'string' || !/^[A-Za-z0-9_-]*={0,2}$/.test(v))
    throw badParameter(`Property ${field} is required and must be base64url encoded.`);
  return Buffer.from(v, 'base64url');
}

function existing(call: Call): KeyEntry {
  const name = call.req.params.name!;
  const entry = call.vault.keys.get(name);
  if (!entry) throw notFound('key', name);
  return entry;
}

function versionOf(call: Call, entry: KeyEntry): KeyVersion {
  const version = call.req.params.version;
  if (!version) return latest(entry);
  const v = entry.versions.find((x) => x.version === version.toLowerCase());
  if (!v) throw notFound('key', `${entry.name}/${version}`);
  return v;
}

export function keyId(call: Pick<Call, 'base'>, entry: { name: string }, v: { version: string }): string {
  return `${call.base}/keys/${entry.name}/${v.version}`;
}

/** The public JWK: n and e only, whatever the key's exportability. */
export function keyBundle(call: Pick<Call, 'base'>, entry: KeyEntry, v: KeyVersion): Record<string, unknown> {
  const jwk = v.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const out: Record<string, unknown> = {
    key: { kid: keyId(call, entry, v), kty: v.kty, key_ops: v.keyOps, n: jwk.n, e: jwk.e },
    attributes: attributesOut(v.attributes, { exportable: v.exportable }),
  };
  if (v.tags) out.tags = v.tags;
  if (v.managed) out.managed = true;
  if (v.releasePolicy) out.release_policy = v.releasePolicy;
  return out;
}

function keyItem(call: Call, entry: KeyEntry, v: KeyVersion, withVersion: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    kid: withVersion ? keyId(call, entry, v) : `${call.base}/keys/${entry.name}`,
    attributes: attributesOut(v.attributes, { exportable: v.exportable }),
  };
  if (v.tags) out.tags = v.tags;
  if (v.managed) out.managed = true;
  return out;
}
