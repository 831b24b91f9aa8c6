// Emulator-only admin endpoints for the vault (on the login listener, under /_emulator/keyvault): the access list
// (what an Azure admin does with an access policy or role assignment), settings, and a summary for tests.
import type { EmulatorContext } from '../context';
import { jsonBody } from '../http/serve';
import type { EmulatorResponse, Router } from '../http/router';
import { vaultOf } from './vault';

const bad = (message: string): EmulatorResponse => ({ status: 400, body: { error: 'bad_request', message } });
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerKeyVaultAdminRoutes(router: Router, ctx: EmulatorContext): void {
  const accessBody = () => {
    const vault = vaultOf(ctx);
    return {
      tenantId: vault.tenantId,
      mode: vault.access === 'any' ? 'anyPrincipalOfTenant' : 'accessList',
      allowedObjectIds: vault.access === 'any' ? [] : [...vault.access],
    };
  };
  router.add('GET', '/_emulator/keyvault/access', () => ({ status: 200, body: accessBody() }));
  // Grant by object id, or by app id (the app's service principal in the vault's tenant).
  router.add('POST', '/_emulator/keyvault/access', (req) => {
    const body = jsonBody(req) as { objectId?: unknown; appId?: unknown } | undefined;
    const vault = vaultOf(ctx);
    let objectId = body?.objectId;
    if (objectId === undefined && typeof body?.appId === 'string') {
      const tenant = ctx.state.tenant(vault.tenantId);
      const sp = tenant && ctx.state.servicePrincipalByAppId(tenant, body.appId);
      if (!sp)
        return bad(
          `app ${body.appId} has no service principal in the vault's tenant ${vault.tenantId}; ` +
            `a vault only accepts principals of its own tenant`,
        );
      objectId = sp.id;
    }
    if (typeof objectId !== 'string' || !GUID.test(objectId))
      return bad('give {"objectId": "<guid>"} or {"appId": "<guid>"}');
    if (vault.access === 'any') vault.access = new Set();
    vault.access.add(objectId.toLowerCase());
    return { status: 200, body: accessBody() };
  });
  router.add('DELETE', '/_emulator/keyvault/access/{objectId}', (req) => {
    const vault = vaultOf(ctx);
    const objectId = req.params.objectId!.toLowerCase();
    if (vault.access === 'any' || !vault.access.has(objectId))
      return {
        status: 404,
        body: { error: 'not_found', message: `${objectId} is not on the vault's access list` },
      };
    vault.access.delete(objectId);
    return { status: 200, body: accessBody() };
  });
  router.add('PUT', '/_emulator/keyvault/access', (req) => {
    const body = jsonBody(req) as { allowedObjectIds?: unknown } | undefined;
    const ids = body?.allowedObjectIds;
    const vault = vaultOf(ctx);
    if (ids === null) vault.access = 'any';
    else if (Array.isArray(ids) && ids.every((id) => typeof id === 'string' && GUID.test(id)))
      vault.access = new Set((ids as string[]).map((id) => id.toLowerCase()));
    else
      return bad('give {"allowedObjectIds": ["<guid>", …]} or {"allowedObjectIds": null} for any principal');
    return { status: 200, body: accessBody() };
  });
  router.add('GET', '/_emulator/keyvault/settings', () => ({ status: 200, body: vaultOf(ctx).settings }));
  router.add('PATCH', '/_emulator/keyvault/settings', (req) => {
    const body = jsonBody(req) as { selfSignedIssuanceMs?: unknown } | undefined;
    const ms = body?.selfSignedIssuanceMs;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
      return bad('give {"selfSignedIssuanceMs": <ms ≥ 0>}');
    vaultOf(ctx).settings.selfSignedIssuanceMs = ms;
    return { status: 200, body: vaultOf(ctx).settings };
  });
  router.add('GET', '/_emulator/keyvault', () => {
    const vault = vaultOf(ctx);
    const now = ctx.state.clock.now();
    const summary = <T extends { name: string; versions: { version: string }[] }>(
      list: T[],
    ): { name: string; versions: string[] }[] =>
      list.map((e) => ({ name: e.name, versions: e.versions.map((v) => v.version) }));
    return {
      status: 200,
      body: {
        ...accessBody(),
        secrets: summary(vault.secrets.list()),
        keys: summary(vault.keys.list()),
        certificates: summary(vault.certificates.list()),
        deleted: {
          secrets: vault.secrets.listDeleted(now).map((d) => d.entry.name),
          keys: vault.keys.listDeleted(now).map((d) => d.entry.name),
          certificates: vault.certificates.listDeleted(now).map((d) => d.entry.name),
        },
      },
    };
  });
}
