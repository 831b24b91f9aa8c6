// Certificates through @azure/keyvault-certificates (and the certificate's key and secret through the keys and
// secrets clients) against the emulated vault: self-signed issuance via the pending operation, exportable and
// non-exportable keys, signing inside the vault, policy, soft delete, and AutoRenew on the emulator clock.
import assert from 'node:assert/strict';
import {
  X509Certificate,
  constants,
  createHash,
  createPrivateKey,
  verify as verifySignature,
} from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createSecureContext, createServer as createTlsServer } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import {
  CertificateClient,
  DefaultCertificatePolicy,
  WellKnownIssuer,
  type CertificatePolicy,
} from '@azure/keyvault-certificates';
import { CryptographyClient, KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import type { RunningEmulator } from '../../../emulator/src/emulator';
import {
  CLIENT_OPTIONS,
  EmulatorTokenCredential,
  admin,
  rawCall,
  startKeyVaultEmulator,
  tokenFor,
  uniqueName,
} from './harness';

const DAY = 86_400_000;

interface RestErrorLike {
  statusCode?: number;
  code?: string;
}

function clients(emu: RunningEmulator) {
  const credential = new EmulatorTokenCredential(emu.context);
  const url = emu.context.endpoints.keyVault;
  return {
    credential,
    certificates: new CertificateClient(url, credential, CLIENT_OPTIONS),
    keys: new KeyClient(url, credential, CLIENT_OPTIONS),
    secrets: new SecretClient(url, credential, CLIENT_OPTIONS),
  };
}

function policy(overrides: Partial<CertificatePolicy> = {}): CertificatePolicy {
  return {
    issuerName: WellKnownIssuer.Self,
    subject: 'CN=tenure-signing, O=Tenure',
    subjectAlternativeNames: { dnsNames: ['tenure.contoso.test'] },
    keyType: 'RSA',
    keySize: 2048,
    validityInMonths: 12,
    ...overrides,
  } as CertificatePolicy;
}

describe('Key Vault certificates', () => {
  let emu: RunningEmulator;

  before(async () => {
    emu = await startKeyVaultEmulator();
  });
  after(() => emu.close());

  test('beginCreateCertificate: 202 pending → completed; the certificate follows the policy', async () => {
    const { certificates } = clients(emu);
    const name = uniqueName('signing');
    const poller = await certificates.beginCreateCertificate(
      name,
      policy({ keySize: 3072, validityInMonths: 6, contentType: 'application/x-pem-file' }),
      { intervalInMs: 10 },
    );
    const created = await poller.pollUntilDone();
    assert.equal(poller.getOperationState().isCompleted, true);
    const operation = await certificates.getCertificateOperation(name);
    assert.equal(operation.getOperationState().certificateOperation?.status, 'completed');
    const cert = await certificates.getCertificate(name);
    assert.equal(cert.properties.version, created.properties.version);
    const x509 = new X509Certificate(Buffer.from(cert.cer!));
    assert.equal(x509.subject, 'CN=tenure-signing\nO=Tenure');
    assert.equal(x509.issuer, x509.subject);
    assert.match(x509.subjectAltName ?? '', /DNS:tenure\.contoso\.test/);
    assert.equal(x509.publicKey.asymmetricKeyDetails?.modulusLength, 3072);
    const months = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / DAY;
    assert.ok(months > 180 && months < 186, `validity ${months} days`);
    assert.ok(x509.verify(x509.publicKey));
    const der = x509.raw;
    assert.deepEqual(Buffer.from(cert.properties.x509Thumbprint!), createHash('sha1').update(der).digest());
    const base = emu.context.endpoints.keyVault;
    assert.equal(cert.keyId, `${base}/keys/${name}/${cert.properties.version}`);
    assert.equal(cert.secretId, `${base}/secrets/${name}/${cert.properties.version}`);
    assert.equal(cert.policy?.subject, 'CN=tenure-signing, O=Tenure');
    assert.equal(cert.policy?.exportable, true);
    assert.equal(cert.policy?.contentType, 'application/x-pem-file');
    assert.equal(cert.policy?.lifetimeActions?.[0]?.action, 'AutoRenew');
    assert.equal(cert.policy?.lifetimeActions?.[0]?.lifetimePercentage, 80);

    const raw = await rawCall(emu, 'GET', `/certificates/${name}/pending?api-version=2025-07-01`, {
      token: await tokenFor(emu),
    });
    assert.equal(raw.status, 200);
    assert.equal(raw.body.status, 'completed');
    assert.equal(raw.body.target, `${base}/certificates/${name}`);
    assert.ok(raw.headers.get('x-ms-request-id'));
  });

  test('exportable PEM: the certificate secret holds the private key of the certificate', async () => {
    const { certificates, secrets } = clients(emu);
    const name = uniqueName('pem');
    await (
      await certificates.beginCreateCertificate(name, policy({ contentType: 'application/x-pem-file' }), {
        intervalInMs: 10,
      })
    ).pollUntilDone();
    const secret = await secrets.getSecret(name);
    assert.equal(secret.properties.contentType, 'application/x-pem-file');
    assert.equal(secret.properties.managed, true);
    assert.match(secret.value!, /-----BEGIN PRIVATE KEY-----/);
    const cert = new X509Certificate(
      secret.value!.slice(secret.value!.indexOf('-----BEGIN CERTIFICATE-----')),
    );
    assert.ok(cert.checkPrivateKey(privateKeyIn(secret.value!)));
  });

  test('exportable PKCS#12: the PFX (no password) carries key and certificate', async () => {
    const { certificates, secrets } = clients(emu);
    const name = uniqueName('pfx');
    await (await certificates.beginCreateCertificate(name, policy(), { intervalInMs: 10 })).pollUntilDone();
    const secret = await secrets.getSecret(name);
    assert.equal(secret.properties.contentType, 'application/x-pkcs12');
    const pfx = Buffer.from(secret.value!, 'base64');
    // OpenSSL (through node:tls) parses it and checks the MAC; a context with a private key can serve TLS.
    assert.doesNotThrow(() => createSecureContext({ pfx, passphrase: '' }));
    assert.throws(() => createSecureContext({ pfx, passphrase: 'wrong' }), /mac verify failure/i);
    assert.equal(await servesTls(pfx), true);
  });

  test('non-exportable: the secret has no private key, the key signs RS256/PS256 inside the vault, release is refused', async () => {
    const { certificates, secrets, keys, credential } = clients(emu);
    const name = uniqueName('nonexp');
    await (
      await certificates.beginCreateCertificate(
        name,
        policy({ exportable: false, contentType: 'application/x-pem-file' }),
        {
          intervalInMs: 10,
        },
      )
    ).pollUntilDone();
    const cert = await certificates.getCertificate(name);
    const x509 = new X509Certificate(Buffer.from(cert.cer!));

    // The secret is the public certificate only (Key Vault: "the private key isn't part of the value").
    const secret = await secrets.getSecret(name);
    assert.doesNotMatch(secret.value!, /PRIVATE KEY/);
    assert.equal(new X509Certificate(secret.value!).fingerprint256, x509.fingerprint256);

    // The key: public JWK only, exportable false.
    const key = await keys.getKey(name);
    assert.equal(key.properties.exportable, false);
    assert.equal(key.properties.managed, true);
    assert.ok(key.key?.n && key.key.e);
    assert.equal(key.key?.d, undefined);
    assert.equal(key.key?.p, undefined);

    const crypto = new CryptographyClient(cert.keyId!, credential, CLIENT_OPTIONS);
    const data = Buffer.from('assertion for Entra');
    const digest = createHash('sha256').update(data).digest();
    const rs = await crypto.sign('RS256', digest);
    assert.equal(rs.keyID, cert.keyId);
    assert.ok(verifySignature('sha256', data, x509.publicKey, Buffer.from(rs.result)));
    const ps = await crypto.sign('PS256', digest);
    assert.ok(
      verifySignature(
        'sha256',
        data,
        { key: x509.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        Buffer.from(ps.result),
      ),
    );
    assert.equal((await crypto.verify('PS256', digest, ps.result)).result, true);

    // No API hands out the private part.
    await assert.rejects(
      keys.releaseKey(name, 'attestation-token'),
      (e: RestErrorLike) => e.statusCode === 403,
    );
    const token = await tokenFor(emu);
    const exported = await rawCall(
      emu,
      'POST',
      `/keys/${name}/${key.properties.version}/export?api-version=2025-07-01`,
      {
        token,
        body: {},
      },
    );
    assert.equal(exported.status, 403);
    assert.equal((exported.body.error as { code: string }).code, 'Forbidden');
    const pfxName = uniqueName('nonexp-pfx');
    await (
      await certificates.beginCreateCertificate(pfxName, policy({ exportable: false }), { intervalInMs: 10 })
    ).pollUntilDone();
    const pfx = Buffer.from((await secrets.getSecret(pfxName)).value!, 'base64');
    // The PFX holds the certificate only: OpenSSL finds no private key in it, and it cannot serve TLS.
    assert.throws(() => createSecureContext({ pfx, passphrase: '' }), /Unable to load private key from PFX/);
    assert.equal(await servesTls(pfx), false);
  });

  test("the SDK's DefaultCertificatePolicy (cn=MyCert) and a SAN-only policy issue", async () => {
    const { certificates } = clients(emu);
    const byDefault = await (
      await certificates.beginCreateCertificate(uniqueName('default'), DefaultCertificatePolicy, {
        intervalInMs: 10,
      })
    ).pollUntilDone();
    assert.equal(new X509Certificate(Buffer.from(byDefault.cer!)).subject, 'CN=MyCert');
    const sanOnly = await (
      await certificates.beginCreateCertificate(
        uniqueName('san'),
        { issuerName: 'Self', subjectAlternativeNames: { dnsNames: ['only.contoso.test'] } },
        { intervalInMs: 10 },
      )
    ).pollUntilDone();
    assert.match(new X509Certificate(Buffer.from(sanOnly.cer!)).subjectAltName ?? '', /only\.contoso\.test/);
    await assert.rejects(
      certificates.beginCreateCertificate(uniqueName('bad'), {
        issuerName: 'Self',
        subject: 'CN=x',
        keySize: 1024,
      }),
      (e: RestErrorLike) => e.statusCode === 400 && e.code === 'BadParameter',
    );
  });

  test('import: a PEM bundle becomes a certificate with its key and secret; PFX import is refused', async () => {
    const { certificates, secrets, keys, credential } = clients(emu);
    const source = uniqueName('src');
    await (
      await certificates.beginCreateCertificate(source, policy({ contentType: 'application/x-pem-file' }), {
        intervalInMs: 10,
      })
    ).pollUntilDone();
    const pem = (await secrets.getSecret(source)).value!;
    const name = uniqueName('imported');
    const imported = await certificates.importCertificate(name, Buffer.from(pem), {
      policy: { contentType: 'application/x-pem-file', exportable: false },
    });
    const original = await certificates.getCertificate(source);
    assert.deepEqual(Buffer.from(imported.cer!), Buffer.from(original.cer!));
    assert.equal(imported.policy?.issuerName, 'Unknown');
    assert.equal(imported.policy?.subject, 'CN=tenure-signing, O=Tenure');
    // SDK 4.10.3 does not send the import's `policy` option (its serializer reads `certificatePolicy`), so the
    // vault derives the policy from the PEM: exportable, issuer Unknown.
    assert.equal((await keys.getKey(name)).properties.exportable, true);
    const digest = createHash('sha256').update('x').digest();
    const signed = await new CryptographyClient(imported.keyId!, credential, CLIENT_OPTIONS).sign(
      'RS256',
      digest,
    );
    const x509 = new X509Certificate(Buffer.from(imported.cer!));
    assert.ok(verifySignature('sha256', Buffer.from('x'), x509.publicKey, Buffer.from(signed.result)));

    const certOnly = pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----'));
    await assert.rejects(
      certificates.importCertificate(uniqueName('nokey'), Buffer.from(certOnly), {
        policy: { contentType: 'application/x-pem-file' },
      }),
      (e: RestErrorLike) => e.statusCode === 400 && e.code === 'BadParameter',
    );
    await assert.rejects(
      certificates.importCertificate(uniqueName('pfx'), Buffer.from('not a pfx')),
      (e: RestErrorLike) => e.statusCode === 400,
    );
  });

  test('policy get/update; list certificates and versions', async () => {
    const { certificates } = clients(emu);
    const name = uniqueName('pol');
    await (await certificates.beginCreateCertificate(name, policy(), { intervalInMs: 10 })).pollUntilDone();
    // (updateCertificatePolicy's own return value is empty in SDK 4.10.3, so read the policy back.)
    await certificates.updateCertificatePolicy(name, {
      ...policy({ validityInMonths: 3 }),
      lifetimeActions: [{ action: 'AutoRenew', daysBeforeExpiry: 10 }],
    });
    const updated = await certificates.getCertificatePolicy(name);
    assert.equal(updated.validityInMonths, 3);
    assert.equal(updated.lifetimeActions?.[0]?.daysBeforeExpiry, 10);
    assert.equal(updated.lifetimeActions?.[0]?.lifetimePercentage, undefined);
    await (await certificates.beginCreateCertificate(name, updated, { intervalInMs: 10 })).pollUntilDone();
    const versions = [];
    for await (const v of certificates.listPropertiesOfCertificateVersions(name)) versions.push(v.version);
    assert.equal(versions.length, 2);
    const names = [];
    for await (const c of certificates.listPropertiesOfCertificates()) names.push(c.name);
    assert.ok(names.includes(name));
  });

  test('delete takes the key and secret with it; recover brings all three back', async () => {
    const { certificates, keys, secrets } = clients(emu);
    const name = uniqueName('del');
    await (await certificates.beginCreateCertificate(name, policy(), { intervalInMs: 10 })).pollUntilDone();
    await (await certificates.beginDeleteCertificate(name, { intervalInMs: 10 })).pollUntilDone();
    await assert.rejects(
      certificates.getCertificate(name),
      (e: RestErrorLike) => e.code === 'CertificateNotFound',
    );
    await assert.rejects(keys.getKey(name), (e: RestErrorLike) => e.code === 'KeyNotFound');
    await assert.rejects(secrets.getSecret(name), (e: RestErrorLike) => e.code === 'SecretNotFound');
    await assert.rejects(
      certificates.beginCreateCertificate(name, policy()).then((p) => p.pollUntilDone()),
      (e: RestErrorLike) => e.statusCode === 409 && e.code === 'Conflict',
    );
    assert.equal((await certificates.getDeletedCertificate(name)).name, name);
    await (await certificates.beginRecoverDeletedCertificate(name, { intervalInMs: 10 })).pollUntilDone();
    assert.ok((await keys.getKey(name)).key?.n);
    assert.ok((await secrets.getSecret(name)).value);
  });

  test('a slow self-signed issuance is observed inProgress until the emulator clock reaches it', async () => {
    const { certificates } = clients(emu);
    await admin(emu, 'PATCH', '/keyvault/settings', { selfSignedIssuanceMs: 60_000 });
    try {
      const name = uniqueName('slow');
      const poller = await certificates.beginCreateCertificate(name, policy(), { intervalInMs: 10 });
      assert.notEqual(poller.getOperationState().isCompleted, true);
      const operation = (await certificates.getCertificateOperation(name)).getOperationState()
        .certificateOperation;
      assert.equal(operation?.status, 'inProgress');
      assert.ok(operation?.csr?.length);
      const pending = await rawCall(emu, 'GET', `/certificates/${name}?api-version=2025-07-01`, {
        token: await tokenFor(emu),
      });
      assert.equal(pending.body.cer, undefined);
      // Another request can be cancelled while in progress: it never becomes a certificate.
      const cancelled = uniqueName('cancel');
      await certificates.beginCreateCertificate(cancelled, policy(), { intervalInMs: 10 });
      const op = await certificates.getCertificateOperation(cancelled);
      await op.cancelOperation();
      assert.equal(op.getOperationState().certificateOperation?.status, 'cancelled');
      assert.equal(op.getOperationState().certificateOperation?.cancellationRequested, true);

      emu.context.state.clock.advance(61_000);
      const done = await clients(emu).certificates.getCertificateOperation(name);
      assert.equal(done.getOperationState().certificateOperation?.status, 'completed');
      const stillCancelled = await clients(emu).certificates.getCertificateOperation(cancelled);
      assert.equal(stillCancelled.getOperationState().certificateOperation?.status, 'cancelled');
      const versions = [];
      for await (const v of clients(emu).certificates.listPropertiesOfCertificateVersions(cancelled))
        versions.push(v.version);
      assert.equal(versions.length, 0);
    } finally {
      await admin(emu, 'PATCH', '/keyvault/settings', { selfSignedIssuanceMs: 0 });
    }
  });

  test('AutoRenew: crossing the trigger on the emulator clock adds a version; the old one remains', async () => {
    const { certificates } = clients(emu);
    const name = uniqueName('renew');
    const first = await (
      await certificates.beginCreateCertificate(
        name,
        { ...policy(), lifetimeActions: [{ action: 'AutoRenew', daysBeforeExpiry: 30 }] },
        { intervalInMs: 10 },
      )
    ).pollUntilDone();
    const reused = uniqueName('renew-reuse');
    const reusedFirst = await (
      await certificates.beginCreateCertificate(
        reused,
        { ...policy({ reuseKey: true }), lifetimeActions: [{ action: 'AutoRenew', lifetimePercentage: 50 }] },
        { intervalInMs: 10 },
      )
    ).pollUntilDone();
    const expires = first.properties.expiresOn!.getTime();
    const advance = await admin(emu, 'POST', '/clock/advance', {
      ms: expires - 29 * DAY - emu.context.state.clock.now(),
    });
    assert.equal(advance.status, 200);
    // Tokens minted before the jump are expired on the emulator clock: a new client gets fresh ones.
    const later = clients(emu).certificates;
    // Concurrent first requests after the jump renew once, not once per request.
    const [latest] = await Promise.all([0, 1, 2, 3].map(() => later.getCertificate(name)));
    assert.notEqual(latest.properties.version, first.properties.version);
    assert.ok(latest.properties.expiresOn!.getTime() > expires);
    const old = await later.getCertificateVersion(name, first.properties.version!);
    assert.deepEqual(Buffer.from(old.cer!), Buffer.from(first.cer!));
    const newKey = new X509Certificate(Buffer.from(latest.cer!)).publicKey.export({ format: 'jwk' });
    const oldKey = new X509Certificate(Buffer.from(first.cer!)).publicKey.export({ format: 'jwk' });
    assert.notEqual(newKey.n, oldKey.n, 'reuse_key false: a new key pair');
    const versions = [];
    for await (const v of later.listPropertiesOfCertificateVersions(name)) versions.push(v.version);
    assert.equal(versions.length, 2);

    // reuse_key: the renewed certificate (and its key version) carries the same key pair.
    const reusedLatest = await later.getCertificate(reused);
    assert.notEqual(reusedLatest.properties.version, reusedFirst.properties.version);
    const publicN = (cer: Uint8Array) =>
      new X509Certificate(Buffer.from(cer)).publicKey.export({ format: 'jwk' }).n;
    assert.equal(publicN(reusedLatest.cer!), publicN(reusedFirst.cer!));
    const keyVersions = [];
    for await (const v of clients(emu).keys.listPropertiesOfKeyVersions(reused)) keyVersions.push(v.version);
    assert.deepEqual(
      keyVersions.sort(),
      [reusedFirst.properties.version, reusedLatest.properties.version].sort(),
    );
  });
});

function privateKeyIn(pem: string) {
  const start = pem.indexOf('-----BEGIN PRIVATE KEY-----');
  const end = pem.indexOf('-----END PRIVATE KEY-----') + '-----END PRIVATE KEY-----'.length;
  return createPrivateKey(pem.slice(start, end));
}

/** Whether a TLS server configured with this PFX completes a handshake (it needs the private key to). */
async function servesTls(pfx: Buffer): Promise<boolean> {
  let server: ReturnType<typeof createTlsServer>;
  try {
    server = createTlsServer({ pfx, passphrase: '' }, (socket) => socket.end());
  } catch {
    return false;
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    return await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
  } finally {
    server.close();
  }
}
