// Who may call the admin API: a valid token for the tenant's Exchange resource (aud https://outlook.office365.com in
// the global cloud), Exchange.ManageAsApp in `roles` for app-only callers, and a directory role in `wids` that
// Exchange maps to RBAC (graph-spec.md §7.1). Read-only roles may run Get-* only. Refusals are 401, as the module
// sees them: an empty body with WWW-Authenticate for a bad token, an OData "Unauthorized" error otherwise
// ("User is not allowed to call Get-Mailbox", MicrosoftDocs/office-docs-powershell#7970).
import type { EmulatorContext } from '../context';
import type { EmulatorResponse } from '../http/router';
import { DIRECTORY_ROLES, type Tenant } from '../state/model';
import { checkAccessToken } from '../tokens/accessToken';
import type { JwtClaims } from '../tokens/jwt';
import { odataError } from './errors';

/** Roles Exchange turns into full recipient management. */
const MANAGE_ROLES = new Set<string>([
  DIRECTORY_ROLES['Global Administrator'],
  DIRECTORY_ROLES['Exchange Administrator'],
  '31392ffb-586c-42d1-9346-e59415a2cc4e', // Exchange Recipient Administrator
]);
/** Roles Exchange turns into view-only access. */
const READ_ROLES = new Set<string>([
  DIRECTORY_ROLES['Global Reader'],
  DIRECTORY_ROLES['Helpdesk Administrator'],
  '5d6b6bb7-de71-4623-b4af-96380a352509', // Security Reader
  '194ae4cb-b126-40b2-bd5b-6091b380977d', // Security Administrator
  '17315797-102d-40b4-93e0-432062caca18', // Compliance Administrator
]);

export const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

export interface ExchangeCaller {
  tenant: Tenant;
  claims: JwtClaims;
  appId: string;
  /** UPN for delegated callers, the client app id for app-only callers. */
  actor: string;
  readOnly: boolean;
}

const DIAGNOSTICS: Record<string, string> = {
  missing: '2000000;reason="The access token is missing.";error_category="invalid_token"',
  malformed: '2000001;reason="The access token is malformed.";error_category="invalid_token"',
  signature:
    '2000003;reason="The access token signature could not be validated.";error_category="invalid_signature"',
  expired: '2000004;reason="The access token has expired.";error_category="invalid_token"',
  audience: '2000003;reason="The audience claim value is invalid.";error_category="invalid_resource"',
  tenant: '2000005;reason="The tenant of the access token is unknown.";error_category="invalid_tenant"',
  mismatch:
    '2000005;reason="The token was issued for a different tenant than the one in the URL.";error_category="invalid_tenant"',
};

function tokenRefused(reason: string, requestId: string): EmulatorResponse {
  return {
    status: 401,
    headers: {
      'request-id': requestId,
      'WWW-Authenticate': `Bearer client_id="${EXCHANGE_APP_ID}", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"`,
      'x-ms-diagnostics': DIAGNOSTICS[reason] ?? DIAGNOSTICS.malformed!,
    },
  };
}

export function authorizeExchange(
  ctx: EmulatorContext,
  authorization: string | undefined,
  tenantInPath: string,
  requestId: string,
): ExchangeCaller | EmulatorResponse {
  const check = checkAccessToken(ctx, authorization, 'exchange');
  if (!check.ok) return tokenRefused(check.reason, requestId);
  const { claims, tenant } = check;
  const pathTenant = ctx.state.tenant(tenantInPath);
  if (!pathTenant || pathTenant.id !== tenant.id) return tokenRefused('mismatch', requestId);
  const appId = String(claims.appid ?? '');
  const isApp = claims.idtyp === 'app' || claims.scp === undefined;
  const wids = Array.isArray(claims.wids) ? (claims.wids as string[]) : [];
  if (isApp) {
    const roles = Array.isArray(claims.roles) ? (claims.roles as string[]) : [];
    if (!roles.includes('Exchange.ManageAsApp'))
      return odataError(
        401,
        'Unauthorized',
        `The application ${appId} doesn't have the Exchange.ManageAsApp permission. Grant the application permission Exchange.ManageAsApp of Office 365 Exchange Online and consent to it.`,
        requestId,
      );
  }
  const manage = wids.some((w) => MANAGE_ROLES.has(w));
  const read = wids.some((w) => READ_ROLES.has(w));
  if (!manage && !read)
    return odataError(
      401,
      'Unauthorized',
      isApp
        ? `The role assigned to application ${appId} isn't supported in this scenario. Please check online documentation for assigning correct Directory Roles to Azure AD Application for EXO App-Only Authentication.`
        : `The user "${String(claims.upn ?? claims.oid)}" isn't assigned to any management roles.`,
      requestId,
    );
  return {
    tenant,
    claims,
    appId,
    actor: isApp ? appId : String(claims.upn ?? claims.oid),
    readOnly: !manage,
  };
}

/** A read-only caller running a cmdlet that changes something. */
export function cmdletNotAllowed(cmdlet: string, requestId: string): EmulatorResponse {
  return odataError(401, 'Unauthorized', `User is not allowed to call ${cmdlet}`, requestId);
}
