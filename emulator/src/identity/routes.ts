// The Entra sign-in service's routes, added to the login listener's router (beside the /_emulator admin routes).
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse, Router } from '../http/router';
import { adminConsent, authorize } from './authorize';
import { consentForm } from './consentFlow';
import { logout } from './logout';
import { loginForm } from './signIn';
import { jwks, openIdConfiguration } from './discovery';
import { AadError, tokenErrorResponse } from './errors';
import { signedOutPage } from './pages';
import { tokenEndpoint } from './token';

export function registerIdentityRoutes(router: Router, ctx: EmulatorContext): void {
  const json = (fn: (req: EmulatorRequest) => EmulatorResponse) => (req: EmulatorRequest) => {
    try {
      return fn(req);
    } catch (e) {
      if (!(e instanceof AadError)) throw e;
      // Discovery answers an unknown tenant with error "invalid_tenant", as Entra does.
      const r = tokenErrorResponse(ctx, req, e);
      if (e.aadsts === 90002) (r.body as Record<string, unknown>).error = 'invalid_tenant';
      return r;
    }
  };
  router.add(
    'GET',
    '/{tenant}/v2.0/.well-known/openid-configuration',
    json((req) => openIdConfiguration(ctx, req, 2)),
  );
  router.add(
    'GET',
    '/{tenant}/.well-known/openid-configuration',
    json((req) => openIdConfiguration(ctx, req, 1)),
  );
  router.add(
    'GET',
    '/{tenant}/discovery/v2.0/keys',
    json((req) => jwks(ctx, req)),
  );
  router.add(
    'GET',
    '/{tenant}/discovery/keys',
    json((req) => jwks(ctx, req)),
  );
  for (const path of ['/{tenant}/oauth2/v2.0/token', '/{tenant}/oauth2/token'])
    router.add('GET', path, (req) =>
      tokenErrorResponse(
        ctx,
        req,
        new AadError(
          'invalid_request',
          900561,
          'The endpoint only accepts POST, OPTIONS requests. Received a GET request.',
        ),
      ),
    );
  for (const [path, version] of [
    ['/{tenant}/oauth2/v2.0/token', 2],
    ['/{tenant}/oauth2/token', 1],
  ] as const)
    router.add('POST', path, (req, res) =>
      tokenEndpoint(
        ctx,
        req,
        (tenantId, appId) => {
          // Read back by the request log (http/serve.ts) to attribute the request.
          res.setHeader('x-emulator-tenant', tenantId);
          res.setHeader('x-emulator-app', appId);
        },
        version,
      ),
    );
  router.add('GET', '/{tenant}/oauth2/v2.0/authorize', (req) => authorize(ctx, req));
  router.add('POST', '/{tenant}/oauth2/v2.0/authorize', (req) => authorize(ctx, req));
  router.add('POST', '/{tenant}/login', (req) => loginForm(ctx, req));
  router.add('POST', '/{tenant}/consent', (req) => consentForm(ctx, req));
  router.add('GET', '/{tenant}/v2.0/adminconsent', (req) => adminConsent(ctx, req, 2));
  router.add('GET', '/{tenant}/adminconsent', (req) => adminConsent(ctx, req, 1));
  router.add('GET', '/{tenant}/oauth2/v2.0/logout', (req) => logout(ctx, req, signedOutPage));
}
