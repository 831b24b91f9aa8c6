// The browser entry points: /{tenant}/oauth2/v2.0/authorize and the admin-consent endpoints. They validate the
// request (error page before the redirect URI is trusted, error redirect after) and start a sign-in interaction.
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse } from '../http/router';
import { AadError } from './errors';
import { errorRedirect, pageFor, PageError, paramsOf, RedirectError, trustedClient } from './interaction';
import { parseScopes } from './scopes';
import { start } from './signIn';
import { resolveTenantSegment } from './tenants';

/** GET or POST /{tenant}/oauth2/v2.0/authorize */
export function authorize(ctx: EmulatorContext, req: EmulatorRequest): EmulatorResponse {
  const params = paramsOf(req);
  delete params.emulator_adminconsent;
  const segment = req.params.tenant!;
  try {
    trustedClient(ctx, params, segment);
  } catch (e) {
    if (e instanceof PageError) return pageFor(ctx, req, e);
    throw e;
  }
  try {
    validateAuthorizeRequest(ctx, params, segment);
    return start(ctx, req, 'authorize', segment, params);
  } catch (e) {
    if (e instanceof RedirectError) return errorRedirect(ctx, req, params, e);
    if (e instanceof PageError) return pageFor(ctx, req, e);
    throw e;
  }
}

function validateAuthorizeRequest(
  ctx: EmulatorContext,
  params: Record<string, string>,
  segment: string,
): void {
  if (params.response_type !== 'code')
    throw new RedirectError(
      'unsupported_response_type',
      `AADSTS70005: response_type '${params.response_type ?? ''}' is not enabled for the application.`,
    );
  const mode = params.response_mode ?? 'query';
  if (!['query', 'fragment', 'form_post'].includes(mode))
    throw new RedirectError(
      'invalid_request',
      `AADSTS70007: The application returned an unsupported value '${mode}' of 'response_mode' when requesting a token.`,
    );
  if (!params.scope)
    throw new RedirectError(
      'invalid_request',
      "AADSTS900144: The request body must contain the following parameter: 'scope'.",
    );
  const target = resolveTenantSegment(ctx, segment);
  try {
    parseScopes(params.scope, target.kind === 'tenant' ? target.tenant.cloud : 'global', segment);
  } catch (e) {
    if (e instanceof AadError) throw new RedirectError(e.error, e.message);
    throw e;
  }
  if (params.code_challenge !== undefined) {
    const method = params.code_challenge_method ?? 'plain';
    if (!['S256', 'plain'].includes(method) || !/^[A-Za-z0-9._~-]{43,128}$/.test(params.code_challenge))
      throw new RedirectError(
        'invalid_request',
        'AADSTS501491: Invalid size or method of code_challenge parameter.',
      );
  }
  if (
    params.prompt &&
    !['login', 'none', 'consent', 'select_account', 'admin_consent'].includes(params.prompt)
  )
    throw new RedirectError('invalid_request', `AADSTS90023: Invalid prompt value '${params.prompt}'.`);
}

/** GET /{tenant}/v2.0/adminconsent and /{tenant}/adminconsent */
export function adminConsent(ctx: EmulatorContext, req: EmulatorRequest, version: 1 | 2): EmulatorResponse {
  const params: Record<string, string> = {
    ...paramsOf(req),
    response_mode: 'query',
    emulator_adminconsent: String(version),
  };
  const segment = req.params.tenant!;
  try {
    if (segment.toLowerCase() === 'common' && version === 2)
      throw new PageError(
        90130,
        "Application does not support the 'common' endpoint for admin consent. Use the tenant id or 'organizations'.",
      );
    trustedClient(ctx, params, segment);
  } catch (e) {
    if (e instanceof PageError) return pageFor(ctx, req, e);
    throw e;
  }
  if (version === 2 && !params.scope)
    return errorRedirect(
      ctx,
      req,
      params,
      new RedirectError(
        'invalid_request',
        "AADSTS900144: The request body must contain the following parameter: 'scope'.",
      ),
    );
  return start(ctx, req, 'adminconsent', segment, params);
}
