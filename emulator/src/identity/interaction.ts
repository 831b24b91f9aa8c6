// What the browser-facing endpoints share: the two kinds of failure (an error page for an untrusted client or
// redirect URI, an error redirect otherwise), the redirect itself in the requested response_mode, and the check that
// a client and its redirect URI can be trusted (no open redirect).
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse } from '../http/router';
import { formBody } from '../http/serve';
import type { Application } from '../state/model';
import { AadError, correlationIdOf, entraTimestamp } from './errors';
import { errorPage, formPostPage } from './pages';
import { resolveTenantSegment } from './tenants';

/** A failure shown as a page (untrusted client or redirect URI). */
export class PageError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A failure sent back to the app's (registered) redirect URI. */
export class RedirectError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(description);
  }
}

export function pageFor(ctx: EmulatorContext, req: EmulatorRequest, e: PageError): EmulatorResponse {
  return errorPage(e.code, e.message, correlationIdOf(req), entraTimestamp(ctx.state.clock.now()));
}

export function paramsOf(req: EmulatorRequest): Record<string, string> {
  const source = req.method === 'POST' ? formBody(req) : req.query;
  const out: Record<string, string> = {};
  for (const [k, v] of source) out[k] = v;
  return out;
}

/** Redirect URIs match exactly; for http loopback URIs the port is ignored, as Entra documents. */
export function redirectRegistered(app: Application, uri: string): boolean {
  if (app.redirectUris.includes(uri)) return true;
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) return false;
  return app.redirectUris.some((r) => {
    try {
      const reg = new URL(r);
      return (
        reg.protocol === 'http:' &&
        reg.hostname === u.hostname &&
        reg.pathname === u.pathname &&
        reg.search === u.search
      );
    } catch {
      return false;
    }
  });
}

/** Validates what must be right before anything can be sent to the redirect URI. */
export function trustedClient(
  ctx: EmulatorContext,
  params: Record<string, string>,
  segment: string,
): Application {
  try {
    resolveTenantSegment(ctx, segment);
  } catch (e) {
    if (e instanceof AadError) throw new PageError(e.aadsts, e.message.replace(/^AADSTS\d+: /, ''));
    throw e;
  }
  const clientId = params.client_id;
  if (!clientId)
    throw new PageError(900144, "The request body must contain the following parameter: 'client_id'.");
  const found = ctx.state.application(clientId);
  if (!found)
    throw new PageError(
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${segment}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  if (
    ['common', 'organizations'].includes(segment.toLowerCase()) &&
    found.app.signInAudience === 'AzureADMyOrg'
  )
    throw new PageError(
      50194,
      `Application '${clientId}'(${found.app.displayName}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications. Use a tenant-specific endpoint or configure the application to be multi-tenant.`,
    );
  const redirectUri = params.redirect_uri;
  if (!redirectUri)
    throw new PageError(900144, "The request body must contain the following parameter: 'redirect_uri'.");
  if (!redirectRegistered(found.app, redirectUri))
    throw new PageError(
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    );
  return found.app;
}

export function redirect(
  params: Record<string, string>,
  fields: Record<string, string>,
  headers: Record<string, string | string[]> = {},
): EmulatorResponse {
  const all = { ...fields };
  if (params.state !== undefined) all.state = params.state;
  const mode = params.response_mode || 'query';
  if (mode === 'form_post') return formPostPage(params.redirect_uri!, all, headers);
  const url = new URL(params.redirect_uri!);
  if (mode === 'fragment') url.hash = new URLSearchParams(all).toString();
  else for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
  return {
    status: 302,
    headers: { ...headers, Location: url.toString(), 'Cache-Control': 'no-store, no-cache' },
  };
}

export function errorRedirect(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  params: Record<string, string>,
  e: RedirectError,
): EmulatorResponse {
  const traceId = randomUUID();
  const description = `${e.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationIdOf(req)}\r\nTimestamp: ${entraTimestamp(ctx.state.clock.now())}`;
  return redirect(params, { ...e.extra, error: e.error, error_description: description });
}
