/**
 * Connection use cases behind the HTTP functions: create (and for a customer-owned app, its Key Vault
 * certificate), download the public certificate, link (verify what the app can do), and the credential the engine
 * uses. Dependencies are passed in so tests run them against the emulator and Azurite through the same SDKs.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { CertificateClient } from '@azure/keyvault-certificates';
import { randomBytes } from 'node:crypto';
import { cloudEndpoints, isCloudName, type CloudEndpoints } from '../clouds/endpoints';
import { readFlag, readSetting, type Env } from '../config/settings';
import type { AssertionSigner } from './assertion';
import { createConnectionCertificate, publicCertificate, type PublicCertificate } from './certificates';
import { appOnlyCredential } from './credentials';
import { ConnectionError } from './errors';
import { flowPermissions, flowsOf, type FlowUse } from './flowRequirements';
import { graphDirectoryRoleReader } from './graphDirectoryRoles';
import {
  ADD_ONS,
  certificateNameFor,
  refreshTokenSecretNameFor,
  type AddOn,
  type Connection,
  type ConnectionKind,
} from './model';
import { updateConnection, type ConnectionRepository } from './repository';
import { checkAppOnlyLink, type DirectoryRoleReader, type LinkCheck } from './verify';

export interface ConnectionDeps {
  env: Env;
  repo: ConnectionRepository;
  certificates: () => CertificateClient;
  /** A signer for a Key Vault key id (CryptographyClient). */
  signer: (keyId: string) => AssertionSigner;
  now: () => Date;
  /** Overrides the Graph role reader (tests); defaults to Graph with the connection's own credential. */
  directoryRoles?: (credential: TokenCredential, endpoints: CloudEndpoints) => DirectoryRoleReader;
  /** The deployed flows (what they map adds to a connection's needs); default: loaded from TENURE_FLOWS_DIR. */
  flows?: () => readonly FlowUse[];
  certificatePollIntervalMs?: number;
}

export interface CreateConnectionInput {
  /** Optional id the admin chooses, so flows can name the connection (`connection: contoso`). */
  id?: string;
  kind: ConnectionKind;
  cloud: string;
  tenantId: string;
  clientId?: string;
  addOns: string[];
  displayName?: string;
}

const CONNECTION_ID = /^[a-z][a-z0-9-]{2,39}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Field-level validation of a create request; every problem is reported, not just the first. */
export function validateCreateInput(
  body: unknown,
  env: Env,
): { ok: true; value: CreateConnectionInput } | { ok: false; errors: { field: string; reason: string }[] } {
  const errors: { field: string; reason: string }[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, errors: [{ field: '', reason: 'the body must be a JSON object' }] };
  const b = body as Record<string, unknown>;
  const kind = b.kind ?? 'customer-app';
  if (kind !== 'customer-app' && kind !== 'service-provider')
    errors.push({ field: 'kind', reason: 'must be "customer-app" or "service-provider"' });
  const cloud = b.cloud ?? 'global';
  if (!isCloudName(cloud))
    errors.push({ field: 'cloud', reason: 'must be one of global, usgov, usgovdod, china' });
  if (typeof b.tenantId !== 'string' || !(GUID.test(b.tenantId) || DOMAIN.test(b.tenantId))) {
    errors.push({
      field: 'tenantId',
      reason: 'must be the tenant id (a GUID) or one of its verified domain names',
    });
  }
  let clientId: string | undefined;
  if (kind === 'customer-app') {
    if (typeof b.clientId !== 'string' || !GUID.test(b.clientId))
      errors.push({ field: 'clientId', reason: "must be the app registration's client id (a GUID)" });
    else clientId = b.clientId.toLowerCase();
  } else if (kind === 'service-provider') {
    if (b.clientId !== undefined)
      errors.push({
        field: 'clientId',
        reason: "is the deployment's own app for a service-provider connection; leave it out",
      });
    clientId = readSetting(env, 'TENURE_SP_CLIENT_ID');
    if (!clientId)
      errors.push({
        field: 'kind',
        reason: 'this deployment has no service-provider app (TENURE_SP_CLIENT_ID is not set)',
      });
  }
  const addOns = b.addOns ?? [];
  if (!Array.isArray(addOns) || addOns.some((a) => !(ADD_ONS as readonly unknown[]).includes(a))) {
    errors.push({ field: 'addOns', reason: `must be a list of ${ADD_ONS.join(', ')}` });
  }
  if (
    b.displayName !== undefined &&
    (typeof b.displayName !== 'string' || b.displayName.length === 0 || b.displayName.length > 100)
  ) {
    errors.push({ field: 'displayName', reason: 'must be 1 to 100 characters' });
  }
  if (b.id !== undefined && (typeof b.id !== 'string' || !CONNECTION_ID.test(b.id))) {
    errors.push({
      field: 'id',
      reason: 'must be 3 to 40 lowercase letters, digits or dashes, starting with a letter',
    });
  }
  const known = new Set(['id', 'kind', 'cloud', 'tenantId', 'clientId', 'addOns', 'displayName']);
  for (const key of Object.keys(b))
    if (!known.has(key)) errors.push({ field: key, reason: 'is not a connection field' });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      kind: kind as ConnectionKind,
      cloud: cloud as string,
      tenantId: (b.tenantId as string).toLowerCase(),
      clientId,
      addOns: [...new Set(addOns as string[])],
      displayName: b.displayName as string | undefined,
      ...(b.id !== undefined ? { id: b.id as string } : {}),
    },
  };
}

export async function createConnection(
  deps: ConnectionDeps,
  input: CreateConnectionInput,
): Promise<Connection> {
  const id = input.id ?? randomBytes(6).toString('hex');
  // Checked before the certificate is made, so a taken id never gets a new certificate version.
  if (input.id && (await deps.repo.get(input.id))) {
    throw new ConnectionError('TENURE_CONNECTION_CONFLICT', `Connection ${input.id} already exists.`, {
      id: input.id,
    });
  }
  const now = deps.now().toISOString();
  const base: Connection = {
    id,
    displayName:
      input.displayName ??
      `${input.kind === 'customer-app' ? 'Customer app' : 'Service provider'} · ${input.tenantId}`,
    kind: input.kind,
    cloud: input.cloud as Connection['cloud'],
    tenantId: input.tenantId,
    clientId: input.clientId!,
    addOns: input.addOns as AddOn[],
    status: input.kind === 'customer-app' ? 'awaiting-certificate-upload' : 'awaiting-consent',
    diagnostics: { missing: [] },
    createdAt: now,
    updatedAt: now,
  };
  if (input.kind === 'customer-app') {
    const name = certificateNameFor(id);
    const cert = await createConnectionCertificate(
      deps.certificates(),
      name,
      id,
      deps.certificatePollIntervalMs,
    );
    base.certificateName = name;
    base.activeCertificateVersion = cert.version;
    base.certificateExpiresOn = cert.notAfter;
  } else {
    base.refreshTokenSecretName = refreshTokenSecretNameFor(id);
  }
  return deps.repo.create(base);
}

export async function getConnection(deps: Pick<ConnectionDeps, 'repo'>, id: string): Promise<Connection> {
  const connection = await deps.repo.get(id);
  if (!connection) throw new ConnectionError('TENURE_CONNECTION_NOT_FOUND', `No connection ${id}.`, { id });
  return connection;
}

/** The public certificate to upload: the pending (renewed) version when there is one, else the active one. */
export async function certificateForUpload(
  deps: ConnectionDeps,
  connection: Connection,
): Promise<PublicCertificate> {
  if (connection.kind !== 'customer-app' || !connection.certificateName) {
    throw new ConnectionError(
      'TENURE_CONNECTION_WRONG_KIND',
      'Only a customer-owned app connection has a certificate to upload.',
      { id: connection.id },
    );
  }
  return publicCertificate(
    deps.certificates(),
    connection.certificateName,
    connection.pendingCertificateVersion ?? connection.activeCertificateVersion,
  );
}

const credentialCache = new Map<string, TokenCredential>();

/** The app-only credential of a customer-owned connection, signing with a given certificate version. */
export function customerAppCredential(
  deps: ConnectionDeps,
  connection: Connection,
  version = connection.activeCertificateVersion,
  fresh = false,
): TokenCredential {
  if (connection.kind !== 'customer-app' || !connection.certificateName || !version) {
    throw new ConnectionError(
      'TENURE_CONNECTION_WRONG_KIND',
      'Not a customer-owned app connection with a certificate.',
      { id: connection.id },
    );
  }
  const key = `${connection.id}/${version}/${connection.cloud}`;
  let credential = fresh ? undefined : credentialCache.get(key);
  if (!credential) {
    let cert: Promise<PublicCertificate> | undefined;
    credential = appOnlyCredential(
      cloudEndpoints(connection.cloud, deps.env),
      connection.tenantId,
      connection.clientId,
      {
        current: async () => {
          cert ??= publicCertificate(deps.certificates(), connection.certificateName!, version);
          const c = await cert.catch((e: unknown) => {
            cert = undefined;
            throw e;
          });
          return { signer: deps.signer(c.keyId), x5tS256: c.x5tS256 };
        },
      },
      { disableInstanceDiscovery: readFlag(deps.env, 'TENURE_DISABLE_INSTANCE_DISCOVERY'), now: deps.now },
    );
    if (!fresh) credentialCache.set(key, credential);
  }
  return credential;
}

/** Verifies a customer-owned connection and records the outcome on the record. */
export async function linkCustomerApp(
  deps: ConnectionDeps,
  id: string,
): Promise<{ connection: Connection; check: LinkCheck }> {
  const connection = await getConnection(deps, id);
  if (connection.kind !== 'customer-app') {
    throw new ConnectionError(
      'TENURE_CONNECTION_WRONG_KIND',
      'A service-provider connection is linked by signing in (GET …/link).',
      { id },
    );
  }
  // Prefer a pending renewed certificate once the admin has uploaded it; otherwise keep the active one.
  const versions = [connection.pendingCertificateVersion, connection.activeCertificateVersion].filter(
    (v): v is string => !!v,
  );
  const endpoints = cloudEndpoints(connection.cloud, deps.env);
  const needed = flowPermissions(flowsOf(deps), connection.id);
  let check: LinkCheck | undefined;
  let usedVersion = connection.activeCertificateVersion;
  for (const version of versions) {
    const credential = customerAppCredential(deps, connection, version, true);
    const reader = (deps.directoryRoles ?? graphDirectoryRoleReader)(credential, endpoints);
    check = await checkAppOnlyLink({
      credential,
      endpoints,
      clientId: connection.clientId,
      addOns: connection.addOns,
      readDirectoryRoles: reader,
      flowPermissions: needed,
    });
    usedVersion = version;
    if (!check.tokenError) break;
  }
  const now = deps.now().toISOString();
  const result = check!;
  const stillPending =
    connection.pendingCertificateVersion && usedVersion !== connection.pendingCertificateVersion
      ? connection.pendingCertificateVersion
      : undefined;
  const expiresOn =
    usedVersion && usedVersion !== connection.activeCertificateVersion
      ? (await publicCertificate(deps.certificates(), connection.certificateName!, usedVersion)).notAfter
      : connection.certificateExpiresOn;
  const updated = await updateConnection(deps.repo, id, (current) => ({
    ...current,
    activeCertificateVersion: usedVersion,
    certificateExpiresOn: expiresOn,
    // A renewal the timer offered while the check ran stays offered.
    pendingCertificateVersion:
      current.pendingCertificateVersion !== connection.pendingCertificateVersion
        ? current.pendingCertificateVersion
        : stillPending,
    status: result.linked
      ? stillPending
        ? 'certificate-renewal-required'
        : 'linked'
      : result.tokenError?.code === 'AADSTS700027'
        ? 'awaiting-certificate-upload'
        : 'incomplete',
    diagnostics: {
      checkedAt: now,
      // A renewed certificate not uploaded yet stays on the list until it is.
      missing: stillPending
        ? [...result.missing, ...current.diagnostics.missing.filter((m) => m.id === 'certificate-renewal')]
        : result.missing,
      granted: result.granted,
      lastError: result.tokenError ? { ...result.tokenError, at: now } : undefined,
    },
    updatedAt: now,
  }));
  return { connection: updated!, check: result };
}

/** What the HTTP API shows of a connection (everything but the etag; the record holds no secrets). */
export function publicView(c: Connection): Omit<Connection, 'etag'> {
  const { etag: _etag, ...rest } = c;
  return rest;
}
