// Standalone keys through @azure/keyvault-keys: create, public-only reads, in-vault crypto, versions, refusals.
import assert from 'node:assert/strict';
import {
  constants,
  createHash,
  createPublicKey,
  publicEncrypt,
  verify as verifySignature,
} from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CryptographyClient, KeyClient } from '@azure/keyvault-keys';
import type { RunningEmulator } from '../../../emulator/src/emulator';
import {
  CLIENT_OPTIONS,
  EmulatorTokenCredential,
  rawCall,
  startKeyVaultEmulator,
  tokenFor,
  uniqueName,
} from './harness';

interface RestErrorLike {
  statusCode?: number;
  code?: string;
}

describe('Key Vault keys', () => {
  let emu: RunningEmulator;
  let credential: EmulatorTokenCredential;
  let keys: KeyClient;

  before(async () => {
    emu = await startKeyVaultEmulator();
    credential = new EmulatorTokenCredential(emu.context);
    keys = new KeyClient(emu.context.endpoints.keyVault, credential, CLIENT_OPTIONS);
  });
  after(() => emu.close());

  test('createRsaKey: the key is returned as a public JWK only; it signs and decrypts inside the vault', async () => {
    const name = uniqueName('rsa');
    const key = await keys.createRsaKey(name, { keySize: 2048 });
    assert.equal(key.keyType, 'RSA');
    assert.equal(key.properties.exportable, false);
    assert.ok(key.key?.n && key.key.e);
    for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) assert.equal(key.key?.[part], undefined);
    const jwk = {
      kty: 'RSA',
      n: Buffer.from(key.key!.n!).toString('base64url'),
      e: Buffer.from(key.key!.e!).toString('base64url'),
    };
    const publicKey = createPublicKey({ key: jwk, format: 'jwk' });

    const crypto = new CryptographyClient(key, credential, CLIENT_OPTIONS);
    const data = Buffer.from('payload');
    const digest = createHash('sha256').update(data).digest();
    const signed = await crypto.sign('RS256', digest);
    assert.ok(verifySignature('sha256', data, publicKey, Buffer.from(signed.result)));
    const ps = await crypto.sign('PS256', digest);
    assert.ok(
      verifySignature(
        'sha256',
        data,
        { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        Buffer.from(ps.result),
      ),
    );

    // verify in the vault (raw: the SDK verifies RSA locally)
    const token = await tokenFor(emu);
    const path = `/keys/${name}/${key.properties.version}/verify?api-version=2025-07-01`;
    const ok = await rawCall(emu, 'POST', path, {
      token,
      body: {
        alg: 'PS256',
        digest: digest.toString('base64url'),
        value: Buffer.from(ps.result).toString('base64url'),
      },
    });
    assert.deepEqual(ok.body, { value: true });
    const tampered = Buffer.from(ps.result);
    tampered[10]! ^= 1;
    const bad = await rawCall(emu, 'POST', path, {
      token,
      body: { alg: 'PS256', digest: digest.toString('base64url'), value: tampered.toString('base64url') },
    });
    assert.deepEqual(bad.body, { value: false });

    const ciphertext = publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from('s3cret'),
    );
    const plain = await crypto.decrypt({ algorithm: 'RSA-OAEP-256', ciphertext });
    assert.equal(Buffer.from(plain.result).toString(), 's3cret');
  });

  test('a wrong digest length is 400 BadParameter; a disabled key refuses to sign', async () => {
    const name = uniqueName('rsa');
    const key = await keys.createRsaKey(name);
    const crypto = new CryptographyClient(key.id!, credential, CLIENT_OPTIONS);
    await assert.rejects(
      crypto.sign('RS256', Buffer.alloc(20)),
      (e: RestErrorLike) => e.statusCode === 400 && e.code === 'BadParameter',
    );
    await keys.updateKeyProperties(name, key.properties.version!, { enabled: false });
    const token = await tokenFor(emu);
    const r = await rawCall(
      emu,
      'POST',
      `/keys/${name}/${key.properties.version}/sign?api-version=2025-07-01`,
      {
        token,
        body: { alg: 'RS256', value: Buffer.alloc(32).toString('base64url') },
      },
    );
    assert.equal(r.status, 403);
  });

  test('versions, list and soft delete', async () => {
    const name = uniqueName('rot');
    const v1 = await keys.createRsaKey(name);
    const v2 = await keys.createRsaKey(name, { keySize: 3072 });
    assert.notEqual(v1.properties.version, v2.properties.version);
    assert.equal((await keys.getKey(name)).properties.version, v2.properties.version);
    assert.equal((await keys.getKey(name, { version: v1.properties.version })).key?.n?.length, 256);
    const versions = [];
    for await (const v of keys.listPropertiesOfKeyVersions(name)) versions.push(v.version);
    assert.equal(versions.length, 2);
    await (await keys.beginDeleteKey(name, { intervalInMs: 10 })).pollUntilDone();
    await assert.rejects(
      keys.getKey(name),
      (e: RestErrorLike) => e.statusCode === 404 && e.code === 'KeyNotFound',
    );
    await assert.rejects(keys.createRsaKey(name), (e: RestErrorLike) => e.statusCode === 409);
    await (await keys.beginRecoverDeletedKey(name, { intervalInMs: 10 })).pollUntilDone();
    assert.equal((await keys.getKey(name)).properties.version, v2.properties.version);
  });

  test('release of a non-exportable key is refused; an exportable key needs a release policy', async () => {
    const name = uniqueName('rel');
    await keys.createRsaKey(name);
    await assert.rejects(
      keys.releaseKey(name, 'attestation'),
      (e: RestErrorLike) => e.statusCode === 403 && e.code === 'Forbidden',
    );
    await assert.rejects(
      keys.createRsaKey(uniqueName('exp'), { exportable: true }),
      (e: RestErrorLike) => e.statusCode === 400 && e.code === 'BadParameter',
    );
  });
});
