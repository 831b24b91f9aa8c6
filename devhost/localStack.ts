// The local stand-ins for Azure that `npm start` and `npm test` run: Azurite (Tables over HTTPS with OAuth, its
// certificate signed by the emulator's CA) and the local Microsoft cloud emulator. Returns the app settings that
// point the unchanged product code at them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_STATE_DIR } from '../emulator/src/emulator';
import { ensureCertificateAuthority, issueServerCertificate } from '../emulator/src/tls';
import { freePort, spawnChild, waitForJsonLine, waitForPort, type Child } from './children';
import { APP_ROOT } from './loadApp';

export interface EmulatorReadyLine {
  event: 'ready';
  login: string;
  graph: string;
  exchange: string;
  keyVault: string;
  managedIdentity: { endpoint: string; header: string };
  serviceBus: { host: string; port: number; connectionString: string };
  admin: string;
  caPath: string;
  demo?: {
    tenantId: string;
    clientId: string;
    clientSecret?: string;
    admin?: string;
    adminPassword?: string;
  };
  queues: string[];
}

export interface LocalStack {
  emulator: EmulatorReadyLine;
  tableEndpoint: string;
  azurite: Child;
  emulatorProcess: Child;
  /** App settings for the function app (and NODE_EXTRA_CA_CERTS for any process that talks to the stack). */
  appSettings: Record<string, string>;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  seed?: string;
  /** Public base URL of the function app (OAuth redirect URIs). */
  publicBaseUrl?: string;
  echo?: (line: string) => void;
}

/** Creates the emulator's CA if needed and returns its path (NODE_EXTRA_CA_CERTS must name it at process start). */
export async function ensureLocalCa(): Promise<string> {
  return (await ensureCertificateAuthority(join(DEFAULT_STATE_DIR, 'ca'))).certPath;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const caPath = await ensureLocalCa();
  const childEnv = { ...process.env, NODE_EXTRA_CA_CERTS: caPath };
  const emulatorProcess = spawnChild(
    'emulator',
    process.execPath,
    [join(APP_ROOT, 'dist', 'emulator', 'src', 'main.js'), ...(options.seed ? ['--seed', options.seed] : [])],
    { env: childEnv, cwd: APP_ROOT },
  );
  const azurite = await startAzurite();
  let emulator: EmulatorReadyLine;
  try {
    emulator = await waitForJsonLine<EmulatorReadyLine>(emulatorProcess, 'ready', 20_000, options.echo);
  } catch (error) {
    await azurite.child.stop();
    throw error;
  }
  const tableEndpoint = `https://127.0.0.1:${azurite.port}/devstoreaccount1`;
  const seed = JSON.parse(
    readFileSync(options.seed ?? join(APP_ROOT, 'emulator', 'seeds', 'default.json'), 'utf8'),
  ) as {
    managedIdentity?: { clientId: string };
    tenants?: { id: string; applications?: { appId: string; multiTenant?: boolean }[] }[];
  };
  const appSettings: Record<string, string> = {
    NODE_EXTRA_CA_CERTS: emulator.caPath,
    IDENTITY_ENDPOINT: emulator.managedIdentity.endpoint,
    IDENTITY_HEADER: emulator.managedIdentity.header,
    AZURE_CLIENT_ID: seed.managedIdentity?.clientId ?? '',
    TENURE_CLOUD: 'global',
    TENURE_TABLE_ENDPOINT: tableEndpoint,
    TENURE_KEY_VAULT_URL: emulator.keyVault,
    ServiceBusConnection: emulator.serviceBus.connectionString,
    TENURE_HR_QUEUE: 'hr-events',
    TENURE_PUBLIC_BASE_URL: options.publicBaseUrl ?? 'http://127.0.0.1:7071',
    TENURE_CLOUD_ENDPOINTS: JSON.stringify({
      login: emulator.login,
      graph: emulator.graph,
      exchange: emulator.exchange,
    }),
    TENURE_DISABLE_INSTANCE_DISCOVERY: 'true',
    TENURE_KEY_VAULT_DISABLE_CHALLENGE_RESOURCE_VERIFICATION: 'true',
    TENURE_EMULATOR_ADMIN: emulator.admin,
  };
  const sp = await provisionServiceProviderApp(emulator, seed, appSettings.AZURE_CLIENT_ID!).catch(
    (error: unknown) => {
      options.echo?.(`service-provider app not set up (${error instanceof Error ? error.message : 'error'})`);
      return undefined;
    },
  );
  if (sp) {
    appSettings.TENURE_SP_CLIENT_ID = sp.clientId;
    appSettings.TENURE_SP_CERTIFICATE_NAME = sp.certificateName;
  }
  return {
    emulator,
    tableEndpoint,
    azurite: azurite.child,
    emulatorProcess,
    appSettings,
    stop: async () => {
      await Promise.all([azurite.child.stop(), emulatorProcess.stop()]);
      rmSync(azurite.workDir, { recursive: true, force: true });
    },
  };
}

/** Azurite's table service, in memory, HTTPS with a certificate from the emulator's CA, OAuth checked. */
async function startAzurite(): Promise<{ child: Child; port: number; workDir: string }> {
  const ca = await ensureCertificateAuthority(join(DEFAULT_STATE_DIR, 'ca'));
  const certDir = join(DEFAULT_STATE_DIR, 'azurite');
  mkdirSync(certDir, { recursive: true });
  const tls = await issueServerCertificate(ca);
  writeFileSync(join(certDir, 'cert.pem'), tls.certPem);
  writeFileSync(join(certDir, 'key.pem'), tls.keyPem, { mode: 0o600 });
  const port = await freePort();
  // --inMemoryPersistence refuses --location, so Azurite runs from a scratch folder.
  const workDir = mkdtempSync(join(tmpdir(), 'tenure-azurite-'));
  const child = spawnChild(
    'azurite',
    process.execPath,
    [
      join(APP_ROOT, 'node_modules', 'azurite', 'dist', 'src', 'table', 'main.js'),
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      String(port),
      '--inMemoryPersistence',
      '--silent',
      '--loose',
      '--disableTelemetry',
      '--cert',
      join(certDir, 'cert.pem'),
      '--key',
      join(certDir, 'key.pem'),
      '--oauth',
      'basic',
    ],
    { cwd: workDir },
  );
  child.process.stdout?.resume();
  child.process.stderr?.resume();
  await waitForPort(port, '127.0.0.1', 15_000);
  return { child, port, workDir };
}

const SP_CERTIFICATE = 'service-provider-app';

/**
 * The operator's one-time step for Link Account, done for the local cloud: the seed's multi-tenant app in the
 * hosting tenant gets a certificate created in the emulator's Key Vault (non-exportable) whose public part is
 * uploaded to the app registration. Plain REST here: this process does not trust the emulator's CA by default.
 */
async function provisionServiceProviderApp(
  emulator: EmulatorReadyLine,
  seed: { tenants?: { id: string; applications?: { appId: string; multiTenant?: boolean }[] }[] },
  managedIdentityClientId: string,
): Promise<{ clientId: string; certificateName: string } | undefined> {
  const hosting = seed.tenants?.[0];
  const app = hosting?.applications?.find((a) => a.multiTenant);
  if (!hosting || !app) return undefined;
  const ca = readFileSync(emulator.caPath);
  const mi = await fetch(
    `${emulator.managedIdentity.endpoint}?api-version=2019-08-01&client_id=${managedIdentityClientId}` +
      `&resource=${encodeURIComponent('https://vault.azure.net')}`,
    { headers: { 'X-IDENTITY-HEADER': emulator.managedIdentity.header } },
  );
  const token = ((await mi.json()) as { access_token: string }).access_token;
  const vault = (method: string, path: string, body?: unknown) =>
    httpsJson(
      ca,
      method,
      `${emulator.keyVault}${path}${path.includes('?') ? '&' : '?'}api-version=7.5`,
      body,
      {
        authorization: `Bearer ${token}`,
      },
    );
  let cert = await vault('GET', `/certificates/${SP_CERTIFICATE}`);
  if (cert.status === 404) {
    await vault('POST', `/certificates/${SP_CERTIFICATE}/create`, {
      policy: {
        key_props: { exportable: false, kty: 'RSA', key_size: 2048, reuse_key: false },
        secret_props: { contentType: 'application/x-pem-file' },
        x509_props: {
          subject: 'CN=Tenure service-provider app',
          validity_months: 12,
          key_usage: ['digitalSignature'],
        },
        lifetime_actions: [{ trigger: { days_before_expiry: 30 }, action: { action_type: 'AutoRenew' } }],
        issuer: { name: 'Self' },
      },
    });
    await vault('GET', `/certificates/${SP_CERTIFICATE}/pending`);
    cert = await vault('GET', `/certificates/${SP_CERTIFICATE}`);
  }
  const der = (cert.json as { cer?: string }).cer;
  if (!der) throw new Error(`the certificate was not issued (${cert.status})`);
  const upload = await httpsJson(
    ca,
    'POST',
    `${emulator.admin}/tenants/${hosting.id}/applications/${app.appId}/certificates`,
    { der, displayName: 'Tenure (local)' },
  );
  if (upload.status !== 201 && upload.status !== 409) throw new Error(`upload answered ${upload.status}`);
  return { clientId: app.appId, certificateName: SP_CERTIFICATE };
}

function httpsJson(
  ca: Buffer,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        ca,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
