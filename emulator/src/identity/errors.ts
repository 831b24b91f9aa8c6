// Entra's error answers: the token endpoint's AADSTS JSON (graph-spec.md §6.1) and the redirect / error-page
// forms the authorize endpoint uses. Trace and correlation ids and the timestamp follow Entra's layout.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse } from '../http/router';

export type OAuthError =
  | 'invalid_request'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'invalid_resource'
  | 'interaction_required'
  | 'consent_required'
  | 'invalid_scope'
  | 'invalid_tenant'
  | 'access_denied'
  | 'login_required'
  | 'unsupported_response_type'
  | 'temporarily_unavailable';

/** One AADSTS failure: the OAuth error, the AADSTS number and the message Entra gives. */
export class AadError extends Error {
  constructor(
    readonly error: OAuthError,
    readonly aadsts: number,
    message: string,
    readonly options: { status?: number; suberror?: string } = {},
  ) {
    super(`AADSTS${aadsts}: ${message}`);
  }
}

/** Entra's timestamp layout: "2016-01-09 02:02:12Z". */
export function entraTimestamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

export function correlationIdOf(req: EmulatorRequest): string {
  const given = req.headers['client-request-id'];
  return typeof given === 'string' && /^[0-9a-f-]{36}$/i.test(given) ? given : randomUUID();
}

/** The token-endpoint JSON error body and status for an AADSTS failure. */
export function tokenErrorResponse(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  e: AadError,
): EmulatorResponse {
  const traceId = randomUUID();
  const correlationId = correlationIdOf(req);
  const timestamp = entraTimestamp(ctx.state.clock.now());
  const body: Record<string, unknown> = {
    error: e.error,
    error_description: `${e.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [e.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${ctx.endpoints.login}/error?code=${e.aadsts}`,
  };
  if (e.options.suberror) body.suberror = e.options.suberror;
  return {
    status: e.options.status ?? (e.error === 'invalid_client' ? 401 : 400),
    headers: {
      'Cache-Control': 'no-store, no-cache',
      Pragma: 'no-cache',
      'x-ms-request-id': traceId,
      'client-request-id': correlationId,
    },
    body,
  };
}

export const aad = {
  tenantNotFound: (tenant: string) =>
    new AadError(
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  missingParameter: (name: string) =>
    new AadError(
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  appNotFound: (appId: string, tenant: string) =>
    new AadError(
      'unauthorized_client',
      700016,
      `Application with identifier '${appId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  noCredential: () =>
    new AadError(
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  badSecret: (appId: string) =>
    new AadError(
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`,
    ),
  expiredSecret: (appId: string) =>
    new AadError(
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    ),
  unsupportedGrant: (grant: string) =>
    new AadError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  multipleResources: (scope: string) =>
    new AadError(
      'invalid_scope',
      700022,
      `The provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    ),
  resourceNotFound: (name: string, tenant: string) =>
    new AadError(
      'invalid_resource',
      500011,
      `The resource principal named ${name} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  consentMissing: (appId: string, name: string) =>
    new AadError(
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${appId}' named '${name}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' },
    ),
};
