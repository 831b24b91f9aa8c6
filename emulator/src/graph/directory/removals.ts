// Permanent removals (purged or hard-deleted directory objects), remembered so delta queries can report them
// with "@removed": {"reason": "deleted"} (https://learn.microsoft.com/graph/delta-query-overview).
import type { Tenant } from '../../state/model';
import { tenantExtension } from '../../state/store';

export interface Removal {
  id: string;
  kind: 'user' | 'group';
  at: number;
}

export function removals(tenant: Tenant): Removal[] {
  return tenantExtension<Removal[]>(tenant, 'graph.removals', () => []);
}

export function recordRemoval(tenant: Tenant, removal: Removal): void {
  const list = removals(tenant);
  list.push(removal);
  if (list.length > 100_000) list.splice(0, list.length - 100_000);
}
