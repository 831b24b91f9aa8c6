// The Microsoft Graph service: a router with every Graph route module, and Graph's answers for unknown routes
// and internal faults. Other Graph route modules (mailboxSettings, OneDrive, ...) add routes to
// `definition.router` with `addGraphRoute` from ./kernel.
import { registerMailboxSettingsRoutes } from '../graph-mail/mailboxSettings';
import { registerOneDriveRoutes } from '../onedrive/routes';
import type { EmulatorContext } from '../context';
import { Router } from '../http/router';
import type { ServiceDefinition } from '../services';
import { registerBatchRoute } from './batch';
import { registerDeletedItemRoutes } from './directory/deletedItems';
import { registerGroupOwnerRoutes } from './directory/groupOwners';
import { registerGroupRoutes } from './directory/groups';
import { registerLicenseRoutes } from './directory/licenses';
import { registerMembershipViewRoutes } from './directory/membershipViews';
import { registerRelationshipRoutes } from './directory/relationships';
import { registerTemporaryAccessPassRoutes } from './directory/temporaryAccessPass';
import { registerTenantInfoRoutes } from './directory/tenantInfo';
import { normaliseSeededProxies } from './directory/userModel';
import { registerUserDeltaRoute } from './directory/userDelta';
import { registerUserRoutes } from './directory/users';
import { graphErrorAnswer, graphErrorResponse, graphErrors } from './kernel/errors';
import { tenantFaults } from './kernel/faults';
import { onTenantFirstUse, requestIdsFor } from './kernel/pipeline';
import { graphSettings } from './kernel/settings';

/**
 * Graph's router. It rewrites the alternate-key segment `servicePrincipals(appId='…')` to
 * `servicePrincipals(appId)/…` so it can be matched by a template.
 */
export class GraphRouter extends Router {
  override match(method: string, path: string) {
    let p = path;
    try {
      p = decodeURIComponent(path);
    } catch {
      // keep as received
    }
    const m = /\/servicePrincipals\(appId='([^']+)'\)$/i.exec(p);
    return super.match(
      method,
      m ? p.replace(m[0], `/servicePrincipals(appId)/${encodeURIComponent(m[1]!)}`) : path,
    );
  }
}

export function createGraphService(ctx: EmulatorContext): ServiceDefinition {
  // Fail fast on bad seed settings (the seed's graph block and each tenant's graph.faults).
  graphSettings(ctx.state);
  for (const tenant of ctx.state.tenants.values()) tenantFaults(tenant);
  onTenantFirstUse(ctx, normaliseSeededProxies);

  const router = new GraphRouter();
  const definition: ServiceDefinition = {
    name: 'graph',
    router,
    notFound: (req) => {
      const ids = requestIdsFor(ctx, req);
      if (!/^\/(v1\.0|beta)(\/|$)/i.test(req.path))
        return graphErrorResponse(ids, 400, 'BadRequest', 'Invalid version.');
      const found = router.match(req.method, req.path);
      if (found && 'methodMismatch' in found)
        return graphErrorResponse(
          ids,
          405,
          'Request_BadRequest',
          'Specified HTTP method is not allowed for the request target.',
        );
      // Graph names the segment it could not resolve; the last one is the usual culprit.
      const segment = req.path.split('/').filter(Boolean).pop() ?? req.path;
      return graphErrorResponse(
        ids,
        400,
        'BadRequest',
        `Resource not found for the segment '${safeDecode(segment)}'.`,
      );
    },
    internalError: (req, error) => {
      const ids = requestIdsFor(ctx, req);
      if (error instanceof SyntaxError) return graphErrorAnswer(ids, graphErrors.unreadableJson());
      return graphErrorResponse(
        ids,
        500,
        'InternalServerError',
        'An internal server error occurred in the emulator.',
      );
    },
  };
  registerBatchRoute(router, ctx, () => definition);
  registerUserDeltaRoute(router, ctx);
  registerUserRoutes(router, ctx);
  registerRelationshipRoutes(router, ctx);
  registerLicenseRoutes(router, ctx);
  registerGroupRoutes(router, ctx);
  registerGroupOwnerRoutes(router, ctx);
  registerMembershipViewRoutes(router, ctx);
  registerDeletedItemRoutes(router, ctx);
  registerTenantInfoRoutes(router, ctx);
  registerTemporaryAccessPassRoutes(router, ctx);
  // Mailbox settings and OneDrive are Graph routes of their own services (Outlook, SharePoint) on the same host.
  registerMailboxSettingsRoutes(router, ctx);
  registerOneDriveRoutes(router, ctx);
  return definition;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
