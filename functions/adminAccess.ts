// Admin endpoints need the function key (the host checks it: authLevel 'function') and, where App Service
// authentication is on, the admin app role on the caller.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { authorizeRole } from '../shared/auth/appServicePrincipal';
import { readFlag, readSetting } from '../shared/config/settings';

/** undefined when the caller may proceed; otherwise the answer to give. */
export function denyUnlessAdmin(
  request: HttpRequest,
  env: NodeJS.ProcessEnv = process.env,
): HttpResponseInit | undefined {
  const decision = authorizeRole(
    request.headers.get('x-ms-client-principal'),
    readSetting(env, 'TENURE_ADMIN_ROLE') ?? 'Tenure.Admin',
    readFlag(env, 'TENURE_REQUIRE_ADMIN_ROLE'),
  );
  return decision.allowed
    ? undefined
    : {
        status: decision.status,
        jsonBody: { error: { code: 'TENURE_FORBIDDEN', message: decision.reason } },
      };
}

export type HttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/**
 * `handler` behind the admin check, with anything it throws answered by `onError` (a stable code, never a stack):
 * the deny / try / error-answer frame every admin endpoint needs, written once.
 */
export function adminOnly(
  handler: HttpHandler,
  onError: (error: unknown, request: HttpRequest, context: InvocationContext) => HttpResponseInit,
): HttpHandler {
  return async (request, context) => {
    const denied = denyUnlessAdmin(request);
    if (denied) return denied;
    try {
      return await handler(request, context);
    } catch (error) {
      return onError(error, request, context);
    }
  };
}
