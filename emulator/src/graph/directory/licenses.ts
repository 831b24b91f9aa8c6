// Licences: assignLicense (usage-location gate, seat counts), subscribedSkus, licenseDetails (graph-spec §2.3).
// A licence whose enabled plans include an EXCHANGE_S_* plan provisions a UserMailbox, as Exchange Online does
// for licensed users; removing the licence leaves the mailbox (Exchange keeps it as disconnected).
import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../../context';
import { jsonBody } from '../../http/serve';
import type { EmulatorRequest, Router } from '../../http/router';
import type { AssignedLicense, DirectoryUser, SubscribedSku, Tenant } from '../../state/model';
import { requireDelegatedRole } from '../kernel/auth';
import { graphErrors } from '../kernel/errors';
import { addGraphRoute, type GraphCall } from '../kernel/pipeline';
import { selectProperties } from '../query/select';
import { LICENSE_DETAILS_READ, LICENSE_WRITE, SKU_READ } from './permissions';
import {
  applyMailToProxies,
  isGuid,
  requireUser,
  USER_DEFAULT_SELECT,
  USER_SELECTABLE,
  userView,
} from './userModel';
import { objectBody } from './userValidation';

export function consumedUnits(tenant: Tenant, skuId: string): number {
  let n = 0;
  for (const u of tenant.users.values()) if (u.assignedLicenses.some((l) => l.skuId === skuId)) n++;
  return n;
}

function skuView(tenant: Tenant, sku: SubscribedSku): Record<string, unknown> {
  return {
    accountId: tenant.id,
    accountName: tenant.displayName,
    appliesTo: 'User',
    capabilityStatus: 'Enabled',
    consumedUnits: consumedUnits(tenant, sku.skuId),
    id: `${tenant.id}_${sku.skuId}`,
    prepaidUnits: { enabled: sku.enabledUnits, lockedOut: 0, suspended: 0, warning: 0 },
    servicePlans: sku.servicePlans.map((p) => ({ ...p, provisioningStatus: 'Success', appliesTo: 'User' })),
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    subscriptionIds: [],
  };
}

export function registerLicenseRoutes(router: Router, ctx: EmulatorContext): void {
  addGraphRoute(router, ctx, 'GET', '/v1.0/subscribedSkus', { permissions: SKU_READ }, (_req, call) =>
    call.json(200, {
      '@odata.context': call.odataContext('subscribedSkus'),
      value: [...call.tenant.skus.values()].map((s) => skuView(call.tenant, s)),
    }),
  );
  addGraphRoute(router, ctx, 'GET', '/v1.0/subscribedSkus/{id}', { permissions: SKU_READ }, (req, call) => {
    const sku = [...call.tenant.skus.values()].find((s) => `${call.tenant.id}_${s.skuId}` === req.params.id);
    if (!sku) throw graphErrors.notFound(req.params.id!);
    return call.json(200, {
      '@odata.context': call.odataContext('subscribedSkus/$entity'),
      ...skuView(call.tenant, sku),
    });
  });
  addGraphRoute(
    router,
    ctx,
    'GET',
    '/v1.0/users/{id}/licenseDetails',
    { permissions: LICENSE_DETAILS_READ },
    (req, call) => {
      const user = requireUser(call.tenant, req.params.id!);
      return call.json(200, {
        '@odata.context': call.odataContext(`users('${user.id}')/licenseDetails`),
        value: user.assignedLicenses.map((l) => licenseDetail(call.tenant, user, l)),
      });
    },
  );
  addGraphRoute(
    router,
    ctx,
    'POST',
    '/v1.0/users/{id}/assignLicense',
    { permissions: LICENSE_WRITE },
    (req, call) => assignLicense(req, call),
  );
}

function licenseDetail(tenant: Tenant, user: DirectoryUser, l: AssignedLicense): Record<string, unknown> {
  const sku = tenant.skus.get(l.skuId);
  return {
    id: createHash('sha256').update(`${user.id}:${l.skuId}`).digest('base64url').slice(0, 43),
    skuId: l.skuId,
    skuPartNumber: sku?.skuPartNumber ?? null,
    servicePlans: (sku?.servicePlans ?? []).map((p) => ({
      ...p,
      provisioningStatus: l.disabledPlans.includes(p.servicePlanId) ? 'Disabled' : 'Success',
      appliesTo: 'User',
    })),
  };
}

function assignLicense(req: EmulatorRequest, call: GraphCall) {
  const { tenant } = call;
  requireDelegatedRole(call.caller, 'Global Administrator', 'License Administrator', 'User Administrator');
  const body = objectBody(jsonBody(req));
  const user = requireUser(tenant, req.params.id!);
  const add = body.addLicenses;
  const remove = body.removeLicenses;
  // Both collections are required (may be empty): user-assignlicense.
  if (!Array.isArray(add)) throw graphErrors.invalidValue('addLicenses', 'User');
  if (!Array.isArray(remove)) throw graphErrors.invalidValue('removeLicenses', 'User');
  const additions: AssignedLicense[] = add.map((a: unknown) => {
    const entry = a as { skuId?: unknown; disabledPlans?: unknown };
    const skuId = String(entry?.skuId ?? '');
    const sku = [...tenant.skus.values()].find((s) => s.skuId.toLowerCase() === skuId.toLowerCase());
    if (!isGuid(skuId) || !sku)
      throw graphErrors.badRequest(`License ${skuId} does not correspond to a valid company License.`);
    const disabled = entry.disabledPlans ?? [];
    if (
      !Array.isArray(disabled) ||
      disabled.some((p) => !sku.servicePlans.some((sp) => sp.servicePlanId === p))
    )
      throw graphErrors.invalidValue('disabledPlans', 'AssignedLicense');
    return { skuId: sku.skuId, disabledPlans: disabled as string[] };
  });
  const removals = remove.map((r: unknown) => {
    const id = String(r).toLowerCase();
    if (!user.assignedLicenses.some((l) => l.skuId.toLowerCase() === id))
      throw graphErrors.badRequest('User does not have a corresponding license.');
    return id;
  });
  if (additions.length > 0 && !user.properties.usageLocation)
    throw graphErrors.badRequest('License assignment cannot be done for user with invalid usage location.');
  for (const a of additions) {
    const holds = user.assignedLicenses.some((l) => l.skuId === a.skuId);
    const sku = tenant.skus.get(a.skuId)!;
    if (!holds && consumedUnits(tenant, a.skuId) >= sku.enabledUnits)
      throw graphErrors.badRequest(`Subscription with SKU ${a.skuId} does not have any available licenses.`);
  }
  user.assignedLicenses = user.assignedLicenses.filter((l) => !removals.includes(l.skuId.toLowerCase()));
  for (const a of additions) {
    const i = user.assignedLicenses.findIndex((l) => l.skuId === a.skuId);
    if (i >= 0) user.assignedLicenses[i] = a;
    else user.assignedLicenses.push(a);
  }
  user.changedAt = call.now;
  ensureMailboxForExchangeLicence(tenant, user);
  return call.json(200, {
    '@odata.context': call.odataContext('users/$entity'),
    ...selectProperties(
      userView(user),
      undefined,
      USER_DEFAULT_SELECT,
      USER_SELECTABLE,
      'microsoft.graph.user',
    ),
  });
}

/** Whether the user holds an enabled EXCHANGE_S_* service plan. */
export function hasExchangePlan(tenant: Tenant, user: DirectoryUser): boolean {
  return user.assignedLicenses.some((l) =>
    (tenant.skus.get(l.skuId)?.servicePlans ?? []).some(
      (p) => /^EXCHANGE_S_/i.test(p.servicePlanName) && !l.disabledPlans.includes(p.servicePlanId),
    ),
  );
}

/** Exchange provisions a mailbox for a user who gains an Exchange plan; it sets mail to the UPN when empty. */
export function ensureMailboxForExchangeLicence(tenant: Tenant, user: DirectoryUser): void {
  if (!hasExchangePlan(tenant, user) || tenant.mailboxes.has(user.id)) return;
  tenant.mailboxes.set(user.id, {
    userId: user.id,
    recipientTypeDetails: 'UserMailbox',
    sizeGb: 0,
    properties: {},
    autoReply: { AutoReplyState: 'Disabled' },
    fullAccess: [],
    sendAs: [],
  });
  if (!user.properties.mail && typeof user.properties.userPrincipalName === 'string') {
    user.properties.mail = user.properties.userPrincipalName;
    user.properties.proxyAddresses = applyMailToProxies(
      (user.properties.proxyAddresses as string[] | undefined) ?? [],
      user.properties.userPrincipalName,
    );
  }
}
