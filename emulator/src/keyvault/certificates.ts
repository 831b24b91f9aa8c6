// Certificates: create from a policy (issuer "Self" → 202 pending operation → completed), get (latest with its
// policy, or a version), list, versions, policy get/update, properties update, pending operation get/cancel/delete,
// soft delete/recover/purge (together with the certificate's managed key and secret), and lifetime actions:
// AutoRenew fires when the emulator clock passes the trigger, adding a new version while the old one stays.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import { KeyVaultError, badParameter, deletedConflict, deletedNotFound, notFound } from './errors';
import { importCertificate } from './certificateImport';
import { certificateBundle, prepareVersion, publish, thumbprint } from './certificateVersions';
import type { CertificateEntry, CertificateVersion } from './model';
import { page } from './paging';
import { policyIn, policyOut, renewalTime } from './policy';
import { latest } from './secrets';
import type { Call, KeyVaultRoutes } from './service';
import { validName, type Vault } from './vault';
import { applyAttributes, attributesOut, deletedOut, objectBody, tagsIn, type WireAttributes } from './wire';

export function registerCertificateRoutes(routes: KeyVaultRoutes): void {
  routes.beforeEach(housekeeping);
  routes.add('GET', '/certificates', 'certificates list', (call) => {
    const includePending = call.req.query.get('includePending') === 'true';
    const items = call.vault.certificates
      .list()
      .filter((e) => e.versions.length > 0 || (includePending && e.staged))
      .map((e) => certificateItem(call, e, e.versions.length > 0 ? latest(e) : e.staged!.cert, false));
    return { status: 200, body: page(items, call.req, call.base, call.apiVersion) };
  });
  routes.add('GET', '/deletedcertificates', 'certificates list', (call) => {
    const items = call.vault.certificates
      .listDeleted(call.now)
      .filter((d) => d.entry.versions.length > 0)
      .map((d) => ({
        ...certificateItem(call, d.entry, latest(d.entry), false),
        ...deletedOut(d, `${call.base}/deletedcertificates/${d.entry.name}`),
      }));
    return { status: 200, body: page(items, call.req, call.base, call.apiVersion) };
  });
  routes.add('GET', '/deletedcertificates/{name}', 'certificates get', (call) => {
    const d = call.vault.certificates.getDeleted(call.req.params.name!, call.now);
    if (!d || d.entry.versions.length === 0) throw deletedNotFound('certificate', call.req.params.name!);
    return {
      status: 200,
      body: {
        ...certificateBundle(call, d.entry, latest(d.entry), true),
        ...deletedOut(d, `${call.base}/deletedcertificates/${d.entry.name}`),
      },
    };
  });
  routes.add('POST', '/deletedcertificates/{name}/recover', 'certificates recover', (call) => {
    const d = call.vault.certificates.getDeleted(call.req.params.name!, call.now);
    if (!d) throw deletedNotFound('certificate', call.req.params.name!);
    const entry = call.vault.certificates.recover(d.entry.name)!;
    call.vault.keys.recover(entry.name);
    call.vault.secrets.recover(entry.name);
    return { status: 200, body: certificateBundle(call, entry, latest(entry), true) };
  });
  routes.add('DELETE', '/deletedcertificates/{name}', 'certificates purge', (call) => {
    const d = call.vault.certificates.getDeleted(call.req.params.name!, call.now);
    if (!d) throw deletedNotFound('certificate', call.req.params.name!);
    call.vault.certificates.purge(d.entry.name);
    call.vault.keys.purge(d.entry.name);
    call.vault.secrets.purge(d.entry.name);
    return { status: 204 };
  });
  routes.add('POST', '/certificates/{name}/create', 'certificates create', (call) => createCertificate(call));
  routes.add('POST', '/certificates/{name}/import', 'certificates import', (call) => importCertificate(call));
  routes.add('GET', '/certificates/{name}/pending', 'certificates get', (call) => {
    const entry = existing(call);
    if (!entry.pending) throw pendingNotFound(entry.name);
    return { status: 200, body: operationOut(call, entry) };
  });
  routes.add('PATCH', '/certificates/{name}/pending', 'certificates update', (call) => {
    const entry = existing(call);
    if (!entry.pending) throw pendingNotFound(entry.name);
    const body = objectBody(call.req);
    if (body.cancellation_requested === true && entry.pending.status === 'inProgress') {
      entry.pending.cancellationRequested = true;
      entry.pending.status = 'cancelled';
      entry.pending.statusDetails = 'Pending request was cancelled by the user.';
      entry.staged = undefined;
    }
    return { status: 200, body: operationOut(call, entry) };
  });
  routes.add('DELETE', '/certificates/{name}/pending', 'certificates delete', (call) => {
    const entry = existing(call);
    if (!entry.pending) throw pendingNotFound(entry.name);
    const body = operationOut(call, entry);
    entry.pending = undefined;
    entry.staged = undefined;
    if (entry.versions.length === 0) call.vault.certificates.active.delete(entry.name.toLowerCase());
    return { status: 200, body };
  });
  routes.add('GET', '/certificates/{name}/policy', 'certificates get', (call) => {
    const entry = existing(call);
    return { status: 200, body: policyOut(call.base, entry.name, entry.policy) };
  });
  routes.add('PATCH', '/certificates/{name}/policy', 'certificates update', (call) => {
    const entry = existing(call);
    entry.policy = policyIn(objectBody(call.req), call.now, entry.policy);
    return { status: 200, body: policyOut(call.base, entry.name, entry.policy) };
  });
  routes.add('GET', '/certificates/{name}/versions', 'certificates list', (call) => {
    const entry = existing(call);
    const items = entry.versions.map((v) => certificateItem(call, entry, v, true));
    return { status: 200, body: page(items, call.req, call.base, call.apiVersion) };
  });
  routes.add('GET', '/certificates/{name}', 'certificates get', (call) => getCertificate(call));
  routes.add('GET', '/certificates/{name}/{version}', 'certificates get', (call) => getCertificate(call));
  routes.add('PATCH', '/certificates/{name}', 'certificates update', (call) => updateCertificate(call));
  routes.add('PATCH', '/certificates/{name}/{version}', 'certificates update', (call) =>
    updateCertificate(call),
  );
  routes.add('DELETE', '/certificates/{name}', 'certificates delete', (call) => {
    const entry = existing(call);
    if (entry.versions.length === 0) throw notFound('certificate', entry.name);
    const d = call.vault.certificates.softDelete(entry.name, call.now)!;
    call.vault.keys.softDelete(entry.name, call.now);
    call.vault.secrets.softDelete(entry.name, call.now);
    return {
      status: 200,
      body: {
        ...certificateBundle(call, entry, latest(entry), true),
        ...deletedOut(d, `${call.base}/deletedcertificates/${entry.name}`),
      },
    };
  });
}

function pendingNotFound(name: string): KeyVaultError {
  return new KeyVaultError(404, 'PendingCertificateNotFound', `Pending certificate not found: ${name}`);
}

async function createCertificate(call: Call) {
  const name = call.req.params.name!;
  if (!validName(name))
    throw badParameter(
      `The request URI contains an invalid name: ${name}. Names may contain only 0-9, a-z, A-Z and -.`,
    );
  const body = objectBody(call.req);
  const { vault, now } = call;
  if (vault.certificates.getDeleted(name, now)) throw deletedConflict('certificate', name);
  const existingEntry = vault.certificates.get(name);
  if (existingEntry?.pending?.status === 'inProgress' || vault.creating.has(name.toLowerCase()))
    throw new KeyVaultError(
      409,
      'Conflict',
      `There is a pending certificate operation for ${name}. Cancel or delete it before creating a new version.`,
    );
  if (!existingEntry && (vault.keys.get(name) || vault.secrets.get(name)))
    throw new KeyVaultError(
      409,
      'Conflict',
      `Certificate ${name} cannot be created: a key or secret with the same name already exists in this vault.`,
    );
  if (!body.policy && !existingEntry)
    throw badParameter('Property policy is required when creating a certificate.');
  const policy = body.policy ? policyIn(body.policy, now) : existingEntry!.policy;
  const issuer = policy.issuer.name;
  if (issuer !== 'Self' && issuer !== 'Unknown')
    throw badParameter(
      `Issuer ${issuer} is not available: the emulator issues self-signed certificates ("Self") and holds ` +
        `"Unknown" requests pending for a merge it does not emulate.`,
    );
  const entry: CertificateEntry = existingEntry ?? { name, policy, versions: [] };
  entry.policy = policy;
  const attrs = body.attributes as WireAttributes | undefined;
  vault.creating.add(name.toLowerCase());
  let staged: Awaited<ReturnType<typeof prepareVersion>>;
  try {
    staged = await prepareVersion(call, entry, now, attrs?.enabled ?? true, tagsIn(body.tags));
  } finally {
    vault.creating.delete(name.toLowerCase());
  }
  entry.staged = staged.version;
  entry.pending = {
    requestId: randomUUID().replace(/-/g, ''),
    status: 'inProgress',
    statusDetails:
      'Pending certificate created. Certificate request is in progress. This may take some time based on the ' +
      'issuer provider. Please check again later.',
    csr: staged.csr,
    cancellationRequested: false,
    completesAt: issuer === 'Self' ? now + vault.settings.selfSignedIssuanceMs : Number.POSITIVE_INFINITY,
    pendingVersion: staged.version.cert.version,
  };
  vault.certificates.set(entry);
  return {
    status: 202,
    headers: {
      Location: `${call.base}/certificates/${name}/pending?api-version=${call.apiVersion}&request_id=${entry.pending.requestId}`,
      'Retry-After': '10',
    },
    body: operationOut(call, entry),
  };
}

/** Completes due self-signed requests and runs AutoRenew lifetime actions that the emulator clock has reached. */
async function housekeeping(ctx: EmulatorContext, vault: Vault): Promise<void> {
  const now = ctx.state.clock.now();
  const base = ctx.endpoints.keyVault;
  for (const entry of vault.certificates.list()) {
    const pending = entry.pending;
    if (pending?.status === 'inProgress' && entry.staged && now >= pending.completesAt) {
      publish(vault, entry);
      pending.status = 'completed';
      pending.statusDetails = undefined;
    }
    if (entry.versions.length === 0 || pending?.status === 'inProgress') continue;
    const current = latest(entry);
    if (
      current.renewedBy ||
      current.attributes.notBefore === undefined ||
      current.attributes.expires === undefined
    )
      continue;
    // Only the self-signed issuer can renew on its own; other issuers would need the CA.
    if (entry.policy.issuer.name !== 'Self') continue;
    const due = renewalTime(entry.policy, current.attributes.notBefore, current.attributes.expires);
    if (due === undefined || now < due) continue;
    const next = await prepareVersion({ base, vault }, entry, now, true, current.tags);
    entry.staged = next.version;
    publish(vault, entry);
    current.renewedBy = next.version.cert.version;
    entry.pending = {
      requestId: randomUUID().replace(/-/g, ''),
      status: 'completed',
      csr: next.csr,
      cancellationRequested: false,
      completesAt: now,
      pendingVersion: next.version.cert.version,
    };
  }
}

async function getCertificate(call: Call) {
  const entry = existing(call);
  const version = call.req.params.version;
  if (!version) {
    if (entry.versions.length === 0) return { status: 200, body: pendingBundle(call, entry) };
    return { status: 200, body: certificateBundle(call, entry, latest(entry), true) };
  }
  return { status: 200, body: certificateBundle(call, entry, versionOf(entry, version), false) };
}

function updateCertificate(call: Call) {
  const entry = existing(call);
  if (entry.versions.length === 0) throw notFound('certificate', entry.name);
  const version = call.req.params.version;
  const v = version ? versionOf(entry, version) : latest(entry);
  const body = objectBody(call.req);
  if (body.tags !== undefined) v.tags = tagsIn(body.tags);
  applyAttributes(v.attributes, body.attributes as WireAttributes | undefined, call.now);
  v.attributes.updated = call.now;
  // The certificate's key and secret follow its enabled state.
  for (const other of [call.vault.keys.get(entry.name), call.vault.secrets.get(entry.name)]) {
    const mirrored = other?.versions.find((x) => x.version === v.version);
    if (mirrored) mirrored.attributes.enabled = v.attributes.enabled;
  }
  if (body.policy) entry.policy = policyIn(body.policy, call.now, entry.policy);
  return { status: 200, body: certificateBundle(call, entry, v, true) };
}

function existing(call: Call): CertificateEntry {
  const name = call.req.params.name!;
  const entry = call.vault.certificates.get(name);
  if (!entry) throw notFound('certificate', name);
  return entry;
}

function versionOf(entry: CertificateEntry, version: string): CertificateVersion {
  const v = entry.versions.find((x) => x.version === version.toLowerCase());
  if (!v) throw notFound('certificate', `${entry.name}/${version}`);
  return v;
}

/** A certificate whose first version is still pending: no cer, a link to the pending operation. */
function pendingBundle(call: Call, entry: CertificateEntry): Record<string, unknown> {
  const version = entry.pending?.pendingVersion ?? '';
  return {
    id: `${call.base}/certificates/${entry.name}/${version}`,
    kid: `${call.base}/keys/${entry.name}/${version}`,
    sid: `${call.base}/secrets/${entry.name}/${version}`,
    attributes: attributesOut({ enabled: false, created: call.now, updated: call.now }),
    policy: policyOut(call.base, entry.name, entry.policy),
    pending: { id: `${call.base}/certificates/${entry.name}/pending` },
  };
}

function certificateItem(call: Call, entry: CertificateEntry, v: CertificateVersion, withVersion: boolean) {
  const out: Record<string, unknown> = {
    id: withVersion
      ? `${call.base}/certificates/${entry.name}/${v.version}`
      : `${call.base}/certificates/${entry.name}`,
    attributes: attributesOut(v.attributes),
    x5t: thumbprint(v.der),
  };
  if (v.tags) out.tags = v.tags;
  return out;
}

function operationOut(call: Call, entry: CertificateEntry): Record<string, unknown> {
  const p = entry.pending!;
  const out: Record<string, unknown> = {
    id: `${call.base}/certificates/${entry.name}/pending`,
    issuer: { name: entry.policy.issuer.name },
    csr: p.csr.toString('base64'),
    cancellation_requested: p.cancellationRequested,
    status: p.status,
  };
  if (p.statusDetails) out.status_details = p.statusDetails;
  if (p.status === 'completed') out.target = `${call.base}/certificates/${entry.name}`;
  if (p.error) out.error = p.error;
  out.request_id = p.requestId;
  return out;
}
