/**
 * National clouds: where to sign in, where Graph and the Exchange admin API live, and which token scopes they take.
 * Everything that builds a URL or a scope for a customer tenant goes through this table.
 * Sources: learn.microsoft.com/graph/deployments, /entra/identity-platform/authentication-national-cloud,
 * Connect-ExchangeOnline ConnectionUri (graph-spec.md §5).
 */
import { readSetting, type Env } from '../config/settings';

export const CLOUDS = ['global', 'usgov', 'usgovdod', 'china'] as const;
export type CloudName = (typeof CLOUDS)[number];

export interface CloudEndpoints {
  cloud: CloudName;
  /** Authority host for @azure/identity and MSAL (`https://login.microsoftonline.com`). */
  authorityHost: string;
  /** Graph service root, no version (`https://graph.microsoft.com`). */
  graphUrl: string;
  /** The Graph resource tokens are issued for; scope = resource + '/.default'. */
  graphResource: string;
  /** Exchange Online host root for the admin API (`https://outlook.office365.com`). */
  exchangeUrl: string;
  /** The Exchange resource tokens are issued for. */
  exchangeResource: string;
  /** Azure portal and Entra admin center, for admin-facing fix-it steps. */
  portalUrl: string;
  entraAdminUrl: string;
  /** Set when Graph is not at a Microsoft host (the local emulator): the Graph client must attach tokens to it. */
  graphCustomHost?: string;
}

const TABLE: Record<CloudName, Omit<CloudEndpoints, 'cloud' | 'graphCustomHost'>> = {
  global: {
    authorityHost: 'https://login.microsoftonline.com',
    graphUrl: 'https://graph.microsoft.com',
    graphResource: 'https://graph.microsoft.com',
    exchangeUrl: 'https://outlook.office365.com',
    exchangeResource: 'https://outlook.office365.com',
    portalUrl: 'https://portal.azure.com',
    entraAdminUrl: 'https://entra.microsoft.com',
  },
  usgov: {
    authorityHost: 'https://login.microsoftonline.us',
    graphUrl: 'https://graph.microsoft.us',
    graphResource: 'https://graph.microsoft.us',
    exchangeUrl: 'https://outlook.office365.us',
    exchangeResource: 'https://outlook.office365.us',
    portalUrl: 'https://portal.azure.us',
    entraAdminUrl: 'https://entra.microsoft.us',
  },
  usgovdod: {
    authorityHost: 'https://login.microsoftonline.us',
    graphUrl: 'https://dod-graph.microsoft.us',
    graphResource: 'https://dod-graph.microsoft.us',
    exchangeUrl: 'https://webmail.apps.mil',
    // Only community modules document this resource; verify in a DoD tenant.
    exchangeResource: 'https://outlook-dod.office365.us',
    portalUrl: 'https://portal.azure.us',
    entraAdminUrl: 'https://entra.microsoft.us',
  },
  china: {
    // @azure/identity's AzureAuthorityHosts.AzureChina; Entra's page also lists login.partner.microsoftonline.cn.
    authorityHost: 'https://login.chinacloudapi.cn',
    graphUrl: 'https://microsoftgraph.chinacloudapi.cn',
    graphResource: 'https://microsoftgraph.chinacloudapi.cn',
    exchangeUrl: 'https://partner.outlook.cn',
    exchangeResource: 'https://partner.outlook.cn',
    portalUrl: 'https://portal.azure.cn',
    entraAdminUrl: 'https://portal.azure.cn',
  },
};

export class UnknownCloudError extends Error {
  readonly code = 'TENURE_UNKNOWN_CLOUD';
  constructor(readonly value: string) {
    super(`Unknown cloud "${value}": use one of ${CLOUDS.join(', ')}.`);
  }
}

export function isCloudName(value: unknown): value is CloudName {
  return typeof value === 'string' && (CLOUDS as readonly string[]).includes(value);
}

export function parseCloud(value: string): CloudName {
  if (!isCloudName(value)) throw new UnknownCloudError(value);
  return value;
}

interface Override {
  login?: string;
  graph?: string;
  exchange?: string;
}

/**
 * The endpoints of a cloud. `TENURE_CLOUD_ENDPOINTS` (local only) replaces the hosts — never the token
 * resources, which stay the cloud's, exactly as the emulator issues them.
 */
export function cloudEndpoints(cloud: CloudName, env: Env = {}): CloudEndpoints {
  const base: CloudEndpoints = { cloud, ...TABLE[cloud] };
  const raw = readSetting(env, 'TENURE_CLOUD_ENDPOINTS');
  if (!raw) return base;
  let override: Override;
  try {
    override = JSON.parse(raw) as Override;
  } catch {
    throw new Error('TENURE_CLOUD_ENDPOINTS is not valid JSON');
  }
  const strip = (u: string): string => u.replace(/\/+$/, '');
  return {
    ...base,
    authorityHost: override.login ? strip(override.login) : base.authorityHost,
    graphUrl: override.graph ? strip(override.graph) : base.graphUrl,
    exchangeUrl: override.exchange ? strip(override.exchange) : base.exchangeUrl,
    graphCustomHost: override.graph ? new URL(override.graph).hostname : undefined,
  };
}

export const scopeOf = (resource: string): string => `${resource}/.default`;

/** The Exchange admin API endpoint for a tenant (InvokeCommand). */
export function exchangeInvokeCommandUrl(endpoints: CloudEndpoints, tenantId: string): string {
  return `${endpoints.exchangeUrl}/adminapi/beta/${encodeURIComponent(tenantId)}/InvokeCommand`;
}

/** The authorize and token endpoints of a tenant in a cloud. */
export function oauthEndpoints(
  endpoints: CloudEndpoints,
  tenant: string,
): { authorize: string; token: string; adminConsent: string } {
  const t = encodeURIComponent(tenant);
  return {
    authorize: `${endpoints.authorityHost}/${t}/oauth2/v2.0/authorize`,
    token: `${endpoints.authorityHost}/${t}/oauth2/v2.0/token`,
    adminConsent: `${endpoints.authorityHost}/${t}/v2.0/adminconsent`,
  };
}
