// Secrets: set (a new version each time), get latest or a version, update properties, list (paged), list
// versions, soft delete, get/list deleted, recover, purge. A certificate's secret is "managed": it holds the PEM or
// PFX and is read here but changed only through the certificate.
import { KeyVaultError, badParameter, deletedConflict, deletedNotFound, forbidden, notFound } from './errors';
import type { SecretEntry, SecretVersion } from './model';
import { page } from './paging';
import type { Call, KeyVaultRoutes } from './service';
import { newVersion, validName } from './vault';
import {
  applyAttributes,
  attributesIn,
  attributesOut,
  deletedOut,
  objectBody,
  tagsIn,
  type WireAttributes,
} from './wire';

export function registerSecretRoutes(routes: KeyVaultRoutes): void {
  routes.add('GET', '/secrets', 'secrets list', (call) => {
    const items = call.vault.secrets.list().map((e) => secretItem(call, e, latest(e), false));
    return { status: 200, body: page(items, call.req, call.base, call.apiVersion) };
  });
  routes.add('GET', '/deletedsecrets', 'secrets list', (call) => {
    const items = call.vault.secrets.listDeleted(call.now).map((d) => ({
      ...secretItem(call, d.entry, latest(d.entry), false),
      ...deletedOut(d, `${call.base}/deletedsecrets/${d.entry.name}`),
    }));
    return { status: 200, body: page(items, call.req, call.base, call.apiVersion) };
  });
  routes.add('GET', '/deletedsecrets/{name}', 'secrets get', (call) => {
    const d = call.vault.secrets.getDeleted(call.req.params.name!, call.now);
    if (!d) throw deletedNotFound('secret', call.req.params.name!);
    return {
      status: 200,
      body: {
        ...bundle(call, d.entry, latest(d.entry), false),
        ...deletedOut(d, `${call.base}/deletedsecrets/${d.entry.name}`),
      },
    };
  });
  routes.add('POST', '/deletedsecrets/{name}/recover', 'secrets recover', (call) => {
    const d = call.vault.secrets.getDeleted(call.req.params.name!, call.now);
    if (!d) throw deletedNotFound('secret', call.req.params.name!);
    if (latest(d.entry).managed) throw forbidden('Operation recover is not allowed on a managed secret.');
    const entry = call.vault.secrets.recover(d.entry.name)!;
    return { status: 200, body: bundle(call, entry, latest(entry), false) };
  });
  routes.add('DELETE', '/deletedsecrets/{name}', 'secrets purge', (call) => {
    const d = call.vault.secrets.getDeleted(call.req.params.name!, call.now);
    if (!d) throw deletedNotFound('secret', call.req.params.name!);
    if (latest(d.entry).managed) throw forbidden('Operation purge is not allowed on a managed secret.');
    call.vault.secrets.purge(d.entry.name);
    return { status: 204 };
  });
  routes.add('GET', '/secrets/{name}/versions', 'secrets list', (call) => {
    const entry = existing(call);
    const items = entry.versions.map((v) => secretItem(call, entry, v, true));
    return { status: 200, body: page(items, call.req, call.base, call.apiVersion) };
  });
  routes.add('PUT', '/secrets/{name}', 'secrets set', (call) => setSecret(call));
  routes.add('GET', '/secrets/{name}', 'secrets get', (call) => getSecret(call));
  routes.add('GET', '/secrets/{name}/{version}', 'secrets get', (call) => getSecret(call));
  routes.add('PATCH', '/secrets/{name}', 'secrets set', (call) => updateSecret(call));
  routes.add('PATCH', '/secrets/{name}/{version}', 'secrets set', (call) => updateSecret(call));
  routes.add('DELETE', '/secrets/{name}', 'secrets delete', (call) => {
    const entry = existing(call);
    if (latest(entry).managed) throw forbidden('Operation delete is not allowed on a managed secret.');
    const d = call.vault.secrets.softDelete(entry.name, call.now)!;
    return {
      status: 200,
      body: {
        ...bundle(call, entry, latest(entry), false),
        ...deletedOut(d, `${call.base}/deletedsecrets/${entry.name}`),
      },
    };
  });
}

function setSecret(call: Call) {
  const name = call.req.params.name!;
  if (!validName(name))
    throw badParameter(
      `The request URI contains an invalid name: ${name}. Names may contain only 0-9, a-z, A-Z and -.`,
    );
  const body = objectBody(call.req);
  if (typeof body.value !== 'string') throw badParameter('Property value is required and must be a string.');
  if (Buffer.byteLength(body.value) > 25 * 1024)
    throw badParameter('Secret value exceeds the maximum size of 25 KB.');
  if (body.contentType !== undefined && typeof body.contentType !== 'string')
    throw badParameter('contentType must be a string.');
  if (call.vault.secrets.getDeleted(name, call.now)) throw deletedConflict('secret', name);
  let entry = call.vault.secrets.get(name);
  if (entry && latest(entry).managed) throw forbidden('Operation set is not allowed on a managed secret.');
  if (!entry) {
    entry = { name, versions: [] };
    call.vault.secrets.set(entry);
  }
  const version: SecretVersion = {
    version: newVersion(),
    value: body.value,
    contentType: body.contentType as string | undefined,
    tags: tagsIn(body.tags),
    attributes: attributesIn(body.attributes as WireAttributes | undefined, call.now),
  };
  entry.versions.push(version);
  return { status: 200, body: bundle(call, entry, version, true) };
}

function getSecret(call: Call) {
  const entry = existing(call);
  const v = versionOf(call, entry);
  if (!v.attributes.enabled)
    throw new KeyVaultError(
      403,
      'Forbidden',
      'Operation get is not allowed on a disabled secret.',
      'SecretDisabled',
    );
  return { status: 200, body: bundle(call, entry, v, true) };
}

function updateSecret(call: Call) {
  const entry = existing(call);
  const v = versionOf(call, entry);
  const body = objectBody(call.req);
  if (body.contentType !== undefined) {
    if (typeof body.contentType !== 'string') throw badParameter('contentType must be a string.');
    v.contentType = body.contentType;
  }
  if (body.tags !== undefined) v.tags = tagsIn(body.tags);
  applyAttributes(v.attributes, body.attributes as WireAttributes | undefined, call.now);
  v.attributes.updated = call.now;
  return { status: 200, body: bundle(call, entry, v, false) };
}

function existing(call: Call): SecretEntry {
  const name = call.req.params.name!;
  const entry = call.vault.secrets.get(name);
  if (!entry) throw notFound('secret', name);
  return entry;
}

function versionOf(call: Call, entry: SecretEntry): SecretVersion {
  const version = call.req.params.version;
  if (!version) return latest(entry);
  const v = entry.versions.find((x) => x.version === version.toLowerCase());
  if (!v) throw notFound('secret', `${entry.name}/${version}`);
  return v;
}

export function latest<T>(entry: { versions: T[] }): T {
  return entry.versions[entry.versions.length - 1]!;
}

function bundle(
  call: Call,
  entry: SecretEntry,
  v: SecretVersion,
  withValue: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (withValue) out.value = v.value;
  out.id = `${call.base}/secrets/${entry.name}/${v.version}`;
  if (v.contentType !== undefined) out.contentType = v.contentType;
  out.attributes = attributesOut(v.attributes);
  if (v.tags) out.tags = v.tags;
  if (v.kid) out.kid = v.kid;
  if (v.managed) out.managed = true;
  return out;
}

function secretItem(
  call: Call,
  entry: SecretEntry,
  v: SecretVersion,
  withVersion: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: withVersion
      ? `${call.base}/secrets/${entry.name}/${v.version}`
      : `${call.base}/secrets/${entry.name}`,
    attributes: attributesOut(v.attributes),
  };
  if (v.tags) out.tags = v.tags;
  if (v.contentType !== undefined) out.contentType = v.contentType;
  if (v.managed) out.managed = true;
  return out;
}
