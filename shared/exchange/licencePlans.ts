/**
 * Which of a user's licences carry Exchange Online Plan 2 rights — what a shared mailbox on litigation hold, with
 * an archive, or over 50 GB still needs (graph-spec.md §7.3). Read from Graph `GET /users/{id}/licenseDetails`
 * (service plans per SKU) through the product's Graph client.
 */
import { toGraphError } from '../graph/errors';
import type { GraphExecutor } from '../graph/executor';
import { isSuccess, type GraphResponse } from '../graph/types';
import type { LicencePlans } from '../playbook/ports';

/** Service plans that give Plan 2 rights (Exchange Online Plan 2, Exchange Online Archiving). */
export const PLAN2_SERVICE_PLANS: ReadonlySet<string> = new Set([
  'EXCHANGE_S_ENTERPRISE',
  'EXCHANGE_S_ARCHIVE_ADDON',
  'EXCHANGE_S_ARCHIVE',
]);

/** skuIds whose enabled service plans include Plan 2 rights (pure). */
export function plan2SkuIds(response: GraphResponse): string[] {
  const list = (response.body as { value?: unknown } | undefined)?.value;
  if (!Array.isArray(list)) return [];
  return (list as { skuId?: unknown; servicePlans?: unknown }[])
    .filter((d) =>
      (Array.isArray(d.servicePlans) ? (d.servicePlans as Record<string, unknown>[]) : []).some(
        (p) =>
          PLAN2_SERVICE_PLANS.has(String(p.servicePlanName).toUpperCase()) &&
          String(p.provisioningStatus ?? 'Success') !== 'Disabled',
      ),
    )
    .map((d) => String(d.skuId));
}

export class GraphLicencePlans implements LicencePlans {
  constructor(private readonly executor: GraphExecutor) {}

  async exchangePlan2SkuIds(userId: string): Promise<string[]> {
    const response = await this.executor.send({
      method: 'GET',
      url: `/users/${encodeURIComponent(userId)}/licenseDetails`,
    });
    if (!isSuccess(response.status)) throw toGraphError(response, { action: 'listLicenseDetails' });
    return plan2SkuIds(response);
  }
}
