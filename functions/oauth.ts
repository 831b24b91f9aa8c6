// Link Account for service-provider connections: the admin-key-protected start (redirect to the cloud's authorize
// or admin-consent endpoint) and the two anonymous OAuth redirects, each answering with a plain page.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { ConnectionError } from '../shared/connections/errors';
import { BROWSER_COOKIE, readCookie, STATE_LIFETIME_MS } from '../shared/connections/oauthState';
import {
  beginLink,
  completeAdminConsent,
  completeLink,
  type CallbackOutcome,
} from '../shared/connections/serviceProvider';
import { html, page, PAGE_HEADERS, type Html } from '../shared/web/html';
import { denyUnlessAdmin } from './adminAccess';
import { errorResponse } from './httpErrors';
import { serviceProviderDeps } from './serviceProviderDeps';

const COOKIE_PATH = '/api/oauth';

export async function beginLinkHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const denied = denyUnlessAdmin(request);
  if (denied) return denied;
  try {
    const purpose = request.query.get('adminConsent') === 'true' ? 'admin-consent' : 'link';
    const { location, browserNonce } = await beginLink(
      serviceProviderDeps(),
      request.params.id ?? '',
      purpose,
    );
    return {
      status: 302,
      headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
      cookies: [
        {
          name: BROWSER_COOKIE,
          value: browserNonce,
          httpOnly: true,
          secure: true,
          sameSite: 'Lax',
          path: COOKIE_PATH,
          maxAge: STATE_LIFETIME_MS / 1000,
        },
      ],
    };
  } catch (error) {
    return errorResponse(error, context);
  }
}

function answer(status: number, title: string, body: Html): HttpResponseInit {
  return {
    status,
    headers: PAGE_HEADERS,
    body: page(title, body),
    // The state is single-use: the browser binding goes with it.
    cookies: [
      {
        name: BROWSER_COOKIE,
        value: '',
        httpOnly: true,
        secure: true,
        sameSite: 'Lax',
        path: COOKIE_PATH,
        maxAge: 0,
      },
    ],
  };
}

function render(outcome: CallbackOutcome): HttpResponseInit {
  const admin = (id: string): Html =>
    html`<p><a href="/api/admin">Back to the connections page</a> (connection <code>${id}</code>).</p>`;
  switch (outcome.kind) {
    case 'linked':
      return answer(
        200,
        'Account linked',
        html`<p class="status ok">
            Tenure can now manage this tenant on behalf of ${outcome.connection.consentedBy}.
          </p>
          ${admin(outcome.connection.id)}`,
      );
    case 'incomplete':
      return answer(
        200,
        outcome.connection.consentedAt ? 'Linked, with permissions missing' : 'Admin consent recorded',
        html`<p class="status warn">
            ${outcome.connection.consentedAt ? 'Some permissions were not granted:' : 'An administrator granted consent for the organisation. Finish with Link Account on the connections page.'}
          </p>
          <ul class="missing">
            ${outcome.connection.diagnostics.missing.map((m) => html`<li><strong>${m.name}</strong> — ${m.fix}</li>`)}
          </ul>
          ${admin(outcome.connection.id)}`,
      );
    case 'admin-approval-required':
      return answer(
        403,
        'Admin approval required',
        html`<p class="status bad">
            The account that signed in cannot grant these permissions
            (${outcome.error.codes.map((c) => `AADSTS${c}`).join(', ') || outcome.error.error}).
          </p>
          <p>
            Ask a Global Administrator or Privileged Role Administrator of the tenant to grant consent: they
            can open
            <a href="/api/connections/${outcome.connection.id}/link?adminConsent=true"
              >the admin-consent request</a
            >
            from the connections page, or approve the request in the Entra admin center if your tenant uses
            the admin consent workflow. Then use Link Account again.
          </p>
          ${admin(outcome.connection.id)}`,
      );
    case 'cancelled':
      return answer(
        400,
        'Sign-in cancelled',
        html`<p>Nothing was changed. Use Link Account to try again.</p>
          ${admin(outcome.connection.id)}`,
      );
    case 'failed':
      return answer(
        502,
        'Link Account failed',
        html`<p class="status bad">
            Entra answered
            <code>${outcome.error.error}</code
            >${outcome.error.codes.length ? html` (${outcome.error.codes.map((c) => `AADSTS${c}`).join(', ')})` : ''}:
            ${outcome.error.errorDescription}
          </p>
          ${outcome.connection ? admin(outcome.connection.id) : html``}`,
      );
  }
}

async function redirectHandler(
  request: HttpRequest,
  context: InvocationContext,
  complete: typeof completeLink,
): Promise<HttpResponseInit> {
  try {
    const outcome = await complete(
      serviceProviderDeps(),
      request.query,
      readCookie(request.headers.get('cookie'), BROWSER_COOKIE),
    );
    context.log(
      `oauth redirect: ${outcome.kind}${outcome.connection ? ` for connection ${outcome.connection.id}` : ''}`,
    );
    return render(outcome);
  } catch (error) {
    if (error instanceof ConnectionError && error.code === 'TENURE_OAUTH_STATE_INVALID') {
      context.warn('oauth redirect refused: state not valid for this browser');
      return answer(400, 'This sign-in link is not valid', html`<p class="status bad">${error.message}</p>`);
    }
    const res = errorResponse(error, context);
    return answer(
      res.status ?? 500,
      'Link Account failed',
      html`<p class="status bad">Something went wrong; see the function logs.</p>`,
    );
  }
}

export const oauthCallbackHandler = (
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> => redirectHandler(request, context, completeLink);
export const oauthAdminConsentHandler = (
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> => redirectHandler(request, context, completeAdminConsent);

app.http('beginLinkAccount', {
  route: 'connections/{id}/link',
  methods: ['GET'],
  authLevel: 'function',
  handler: beginLinkHandler,
});
app.http('oauthCallback', {
  route: 'oauth/callback',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: oauthCallbackHandler,
});
app.http('oauthAdminConsent', {
  route: 'oauth/adminconsent',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: oauthAdminConsentHandler,
});
