// Resource URIs per cloud: what a token's `aud` is for each emulated service, and how a requested scope maps back
// to a resource. Sources: graph-spec.md §5 (Graph deployments, Exchange ConnectionUri, Key Vault suffixes).
import type { CloudName, ResourceName } from '../state/model';

export const RESOURCE_URIS: Record<ResourceName, Record<CloudName, string>> = {
  graph: {
    global: 'https://graph.microsoft.com',
    usgov: 'https://graph.microsoft.us',
    usgovdod: 'https://dod-graph.microsoft.us',
    china: 'https://microsoftgraph.chinacloudapi.cn',
  },
  exchange: {
    global: 'https://outlook.office365.com',
    usgov: 'https://outlook.office365.us',
    usgovdod: 'https://outlook-dod.office365.us',
    china: 'https://partner.outlook.cn',
  },
  keyvault: {
    global: 'https://vault.azure.net',
    usgov: 'https://vault.usgovcloudapi.net',
    usgovdod: 'https://vault.usgovcloudapi.net',
    china: 'https://vault.azure.cn',
  },
  storage: {
    global: 'https://storage.azure.com',
    usgov: 'https://storage.azure.com',
    usgovdod: 'https://storage.azure.com',
    china: 'https://storage.azure.com',
  },
  servicebus: {
    global: 'https://servicebus.azure.net',
    usgov: 'https://servicebus.azure.net',
    usgovdod: 'https://servicebus.azure.net',
    china: 'https://servicebus.azure.net',
  },
};

/** Well-known first-party app ids that may stand for a resource in a scope. */
const RESOURCE_APP_IDS: Record<string, ResourceName> = {
  '00000003-0000-0000-c000-000000000000': 'graph',
  '00000002-0000-0ff1-ce00-000000000000': 'exchange',
  'cfa8b339-82a2-471a-a3c9-0fc0be7a4093': 'keyvault',
};

/** The resource a scope (e.g. "https://graph.microsoft.com/.default", "User.Read") targets in a cloud. */
export function resourceOfScope(
  scope: string,
  cloud: CloudName,
): { resource: ResourceName; permission: string } | undefined {
  const m = /^(.*)\/([^/]+)$/.exec(scope);
  if (!m || !/^(https?:\/\/|[0-9a-f-]{36}$)/i.test(m[1]!)) {
    // A bare scope ("User.Read") is a Graph scope.
    return { resource: 'graph', permission: scope };
  }
  const base = m[1]!.replace(/\/+$/, '').toLowerCase();
  const byId = RESOURCE_APP_IDS[base];
  if (byId) return { resource: byId, permission: m[2]! };
  for (const [resource, uris] of Object.entries(RESOURCE_URIS) as [
    ResourceName,
    Record<CloudName, string>,
  ][]) {
    if (uris[cloud].toLowerCase() === base) return { resource, permission: m[2]! };
  }
  return undefined;
}
