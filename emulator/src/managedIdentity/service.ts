// The App Service managed-identity endpoint (IDENTITY_ENDPOINT / IDENTITY_HEADER, api-version 2019-08-01), plain
// HTTP on loopback as in App Service: tokens for the seed's managed identity, whose service principal lives in
// the hosting tenant. Errors use App Service's JSON ({statusCode, message, correlationId}).
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import { Router, type EmulatorRequest, type EmulatorResponse } from '../http/router';
import type { ServiceDefinition } from '../services';
import { issueAccessToken } from '../tokens/accessToken';
import { resourceOfScope } from '../tokens/resources';

export const MANAGED_IDENTITY_PATH = '/msi/token';

function failure(status: number, message: string): EmulatorResponse {
  return { status, body: { statusCode: status, message, correlationId: randomUUID() } };
}

function token(ctx: EmulatorContext, req: EmulatorRequest): EmulatorResponse {
  const header = req.headers['x-identity-header'];
  if (header === undefined) return failure(400, 'The X-IDENTITY-HEADER header is required.');
  if (header !== ctx.endpoints.managedIdentity.header)
    return failure(401, 'The X-IDENTITY-HEADER value is not valid.');
  const apiVersion = req.query.get('api-version');
  if (apiVersion !== '2019-08-01')
    return failure(400, `The api-version '${apiVersion ?? ''}' is not supported; use 2019-08-01.`);
  const resourceParam = req.query.get('resource');
  if (!resourceParam) return failure(400, "The 'resource' query parameter is required.");
  const mi = ctx.state.seed.managedIdentity;
  const tenant = mi ? ctx.state.tenant(mi.tenantId) : undefined;
  const sp = tenant && mi ? ctx.state.servicePrincipalByAppId(tenant, mi.clientId) : undefined;
  if (!mi || !tenant || !sp) return failure(400, 'Unable to load the proper Managed Identity.');
  const clientId = req.query.get('client_id');
  const objectId = req.query.get('principal_id') ?? req.query.get('object_id');
  const resId = req.query.get('mi_res_id');
  const idParams = ['client_id', 'principal_id', 'object_id', 'mi_res_id'].filter((k) => req.query.has(k));
  if (idParams.length > 1)
    return failure(
      400,
      `Only one of client_id, principal_id, object_id or mi_res_id may be given (got ${idParams.join(', ')}).`,
    );
  // No id parameter asks for the system-assigned identity; a seed marks its identity user-assigned-only.
  if (idParams.length === 0 && mi.userAssignedOnly)
    return failure(
      400,
      'Unable to load the proper Managed Identity. No system-assigned identity is enabled; give client_id, principal_id or mi_res_id.',
    );
  if (
    (clientId && clientId.toLowerCase() !== sp.appId.toLowerCase()) ||
    (objectId && objectId.toLowerCase() !== sp.id.toLowerCase()) ||
    (resId && resId.toLowerCase() !== (mi.resourceId ?? '').toLowerCase())
  )
    return failure(400, 'No MSI found for specified ClientId/ResourceId.');
  const base = resourceParam.replace(/\/+$/, '');
  const found = resourceOfScope(`${base}/.default`, tenant.cloud);
  if (!found)
    return failure(
      400,
      `AADSTS500011: The resource principal named ${resourceParam} was not found in the tenant named ${tenant.id}.`,
    );
  const issued = issueAccessToken(ctx, {
    tenant,
    resource: found.resource,
    clientAppId: sp.appId,
    subject: { kind: 'app', servicePrincipal: sp },
    clientAuth: '2',
    lifetimeSeconds: 86_399,
  });
  return {
    status: 200,
    body: {
      access_token: issued.accessToken,
      expires_on: String(issued.claims.exp),
      resource: resourceParam,
      token_type: 'Bearer',
      client_id: sp.appId,
    },
  };
}

export function managedIdentityService(ctx: EmulatorContext): ServiceDefinition {
  const router = new Router();
  router.add('GET', MANAGED_IDENTITY_PATH, (req) => token(ctx, req));
  return {
    name: 'managedIdentity',
    router,
    notFound: () => failure(404, 'Not found.'),
    internalError: (_req, error) => failure(500, error instanceof Error ? error.message : String(error)),
  };
}
