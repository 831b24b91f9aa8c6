// Which Exchange rights a user's licences give: a mailbox comes with any EXCHANGE_S_* service plan (not the
// Foundation or archive add-on plans, which carry no mailbox); litigation hold, 100 GB quota and an unlicensed
// shared mailbox's exceptions need Exchange Online Plan 2 (EXCHANGE_S_ENTERPRISE) or the archiving add-on
// (graph-spec.md §7.3; https://learn.microsoft.com/microsoft-365/admin/email/remove-license-from-shared-mailbox).
import type { DirectoryUser, Tenant } from '../state/model';

const NO_MAILBOX_PLANS = new Set(['EXCHANGE_S_FOUNDATION', 'EXCHANGE_S_ARCHIVE_ADDON', 'EXCHANGE_S_ARCHIVE']);
const PLAN2_PLANS = new Set(['EXCHANGE_S_ENTERPRISE', 'EXCHANGE_S_ARCHIVE_ADDON', 'EXCHANGE_S_ARCHIVE']);

/** Service plan names the user holds (enabled plans only). */
export function enabledServicePlans(tenant: Tenant, user: DirectoryUser): string[] {
  const names: string[] = [];
  for (const licence of user.assignedLicenses) {
    const sku = tenant.skus.get(licence.skuId);
    if (!sku) continue;
    for (const plan of sku.servicePlans)
      if (!licence.disabledPlans.includes(plan.servicePlanId)) names.push(plan.servicePlanName.toUpperCase());
  }
  return names;
}

/** The user holds a licence that gives an Exchange Online mailbox. */
export function hasMailboxLicence(tenant: Tenant, user: DirectoryUser): boolean {
  return enabledServicePlans(tenant, user).some(
    (p) => p.startsWith('EXCHANGE_S_') && !NO_MAILBOX_PLANS.has(p),
  );
}

/** The user holds Plan 2 rights (litigation hold, 100 GB, archive): what a shared mailbox needs in the exceptions. */
export function hasPlan2Rights(tenant: Tenant, user: DirectoryUser): boolean {
  return enabledServicePlans(tenant, user).some((p) => PLAN2_PLANS.has(p));
}

/** Any Exchange plan at all (Get-Mailbox's SKUAssigned). */
export function hasAnyExchangeLicence(tenant: Tenant, user: DirectoryUser): boolean {
  return enabledServicePlans(tenant, user).some(
    (p) => p.startsWith('EXCHANGE_S_') && p !== 'EXCHANGE_S_FOUNDATION',
  );
}
