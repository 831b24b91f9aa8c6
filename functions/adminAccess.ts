// Admin endpoints need the function key (the host checks it: authLevel 'function') and, where App Service
// authentication is on, the admin app role on the caller.
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
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
