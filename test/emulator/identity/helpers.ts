// Shared set-up for the sign-in service tests: an in-process emulator, an isolated tenant per test file, test
// certificates, admin calls and small JWT helpers.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import {
  createHash,
  createPrivateKey,
  createSign,
  constants,
  randomUUID,
  webcrypto,
  type KeyObject,
} from 'node:crypto';
import { startEmulator, type RunningEmulator } from '../../../emulator/src/emulator';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export async function emulator(): Promise<RunningEmulator> {
  return startEmulator();
}

export async function admin(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${emu.context.endpoints.admin}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export interface TestTenant {
  id: string;
  domain: string;
  appId: string;
  secret: string;
  adminUpn: string;
  userUpn: string;
  password: string;
}

/** A fresh tenant with an admin (Global Administrator), a user, and a confidential app with Graph permissions. */
export async function isolatedTenant(
  emu: RunningEmulator,
  label: string,
  redirectUris: string[] = [],
): Promise<TestTenant> {
  const id = randomUUID();
  const domain = `${label}-${id.slice(0, 8)}.test`;
  const appId = randomUUID();
  const secret = `secret-${randomUUID()}`;
  const password = 'Pa55-word!';
  const res = await admin(emu, 'POST', '/tenants', {
    id,
    displayName: `Test ${label}`,
    domains: [{ name: domain }],
    users: [
      {
        userPrincipalName: `admin@${domain}`,
        displayName: 'Admin',
        password,
        roles: ['Global Administrator'],
      },
      { userPrincipalName: `user@${domain}`, displayName: 'User', password },
    ],
    applications: [
      {
        appId,
        displayName: `App ${label}`,
        redirectUris,
        clientSecrets: [{ value: secret }],
        requiredPermissions: {
          application: { graph: ['User.ReadWrite.All', 'Group.ReadWrite.All'] },
          delegated: { graph: ['User.Read', 'Mail.Read'] },
        },
      },
    ],
    servicePrincipals: [{ appId, appPermissions: { graph: ['User.ReadWrite.All'] } }],
  });
  if (res.status !== 201) throw new Error(`tenant not created: ${JSON.stringify(res.body)}`);
  return { id, domain, appId, secret, adminUpn: `admin@${domain}`, userUpn: `user@${domain}`, password };
}

export interface TestCertificate {
  certPem: string;
  keyPem: string;
  privateKey: KeyObject;
  der: Buffer;
  sha1Hex: string;
  sha256Hex: string;
}

const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

export async function testCertificate(cn = 'tenure-test'): Promise<TestCertificate> {
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=${cn}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    keys,
    signingAlgorithm: RSA,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n').trimEnd()}\n-----END PRIVATE KEY-----\n`;
  const der = Buffer.from(cert.rawData);
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem,
    privateKey: createPrivateKey(keyPem),
    der,
    sha1Hex: createHash('sha1').update(der).digest('hex').toUpperCase(),
    sha256Hex: createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}

/** A client assertion as the certificate-credentials doc describes it, signed with `key`. */
export function clientAssertion(input: {
  key: KeyObject;
  der: Buffer;
  clientId: string;
  aud: string;
  alg?: 'RS256' | 'PS256';
  nowSeconds?: number;
  lifetimeSeconds?: number;
  jti?: string;
}): string {
  const alg = input.alg ?? 'PS256';
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const header =
    alg === 'PS256'
      ? { alg, typ: 'JWT', 'x5t#S256': createHash('sha256').update(input.der).digest('base64url') }
      : { alg, typ: 'JWT', x5t: createHash('sha1').update(input.der).digest('base64url') };
  const claims = {
    aud: input.aud,
    iss: input.clientId,
    sub: input.clientId,
    jti: input.jti ?? randomUUID(),
    nbf: now,
    exp: now + (input.lifetimeSeconds ?? 600),
  };
  const h = Buffer.from(JSON.stringify(header)).toString('base64url');
  const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signer = createSign('RSA-SHA256').update(`${h}.${p}`);
  const signature =
    alg === 'PS256'
      ? signer.sign({
          key: input.key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        })
      : signer.sign(input.key);
  return `${h}.${p}.${signature.toString('base64url')}`;
}

export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function headerOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** A raw token-endpoint call; returns status and JSON. */
export async function tokenRequest(
  emu: RunningEmulator,
  tenant: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${emu.context.endpoints.login}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The AADSTS number an error body carries (error_codes[0]), after checking the body has Entra's shape. */
export function aadsts(body: Record<string, unknown>): number {
  for (const field of ['error', 'error_description', 'timestamp', 'trace_id', 'correlation_id', 'error_uri'])
    if (typeof body[field] !== 'string')
      throw new Error(`error body lacks ${field}: ${JSON.stringify(body)}`);
  const codes = body.error_codes as number[];
  if (!String(body.error_description).startsWith(`AADSTS${codes[0]}:`))
    throw new Error('error_description does not start with the AADSTS code');
  if (
    !/\r\nTrace ID: .+\r\nCorrelation ID: .+\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/.test(
      String(body.error_description),
    )
  )
    throw new Error('error_description lacks the Trace ID / Correlation ID / Timestamp lines');
  return codes[0]!;
}

/** An AuthError from MSAL or @azure/identity carries the AADSTS code in its message. */
export function aadstsOfError(error: unknown): number | undefined {
  const m = /AADSTS(\d+)/.exec(
    error instanceof Error
      ? `${error.message} ${String((error as { errorMessage?: string }).errorMessage ?? '')}`
      : String(error),
  );
  return m ? Number(m[1]) : undefined;
}
