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
import { adminOnly } from './adminAccess';
import { errorResponse } from './httpErrors';
import { serviceProviderDeps } from './serviceProviderDeps';

const COOKIE_PATH = '/api/oauth';

export const beginLinkHandler = adminOnly(
  async (request) => {
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
  },
  (error, _request, context) => {
    // The admin's browser navigated here from the admin page: answer with a page, not JSON.
    const res = errorResponse(error, context);
    if (!(error instanceof ConnectionError)) return res;
    context.warn(`link account not started: ${error.code}`);
    return answer(
      res.status ?? 400,
      'Link Account could not start',
      html`<p class="status bad">${error.message}</p>`,
    );
  },
);

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

const back = (id: string): Html =>
  html`<p>Return to the Tenure connections page (connection <code>${id}</code>).</p>`;

function adminApproval(adminConsentUrl: string): Html {
  return html`<h2>Admin approval required</h2>
    <p>
      If Entra said <em>Need admin approval</em>, the account you signed in with cannot grant these
      permissions. Ask a Global Administrator or Privileged Role Administrator of the tenant to open
      <a id="admin-consent" href="${adminConsentUrl}">this admin-consent request</a> (or use
      <strong>Admin consent</strong> on the connections page while signed in as one), then use Link Account
      again. If your tenant uses the admin consent workflow, the request can also be approved in the Entra
      admin center.
    </p>`;
}

function render(outcome: CallbackOutcome): HttpResponseInit {
  switch (outcome.kind) {
    case 'linked':
      return answer(
        200,
        'Account linked',
        html`<p class="status ok">
            Tenure can now manage this tenant on behalf of ${outcome.connection.consentedBy}.
          </p>
          ${back(outcome.connection.id)}`,
      );
    case 'incomplete':
      return answer(
        200,
        'Linked, with permissions missing',
        html`<p class="status warn">Some permissions were not granted:</p>
          <ul class="missing">
            ${outcome.connection.diagnostics.missing.map((m) => html`<li><strong>${m.name}</strong> — ${m.fix}</li>`)}
          </ul>
          ${back(outcome.connection.id)}`,
      );
    case 'consent-declined':
      return answer(
        400,
        'Consent not granted',
        html`<p class="status warn">
            Nothing was changed: Entra answered that consent was not given (the sign-in was cancelled, or the
            account needs an administrator's approval).
          </p>
          <p>If you cancelled, use Link Account again when ready.</p>
          ${adminApproval(outcome.adminConsentUrl)} ${back(outcome.connection.id)}`,
      );
    case 'admin-approval-required':
      return answer(
        403,
        'Admin approval required',
        html`<p class="status bad">
            The account that signed in cannot grant these permissions
            (${outcome.error.codes.map((c) => `AADSTS${c}`).join(', ') || outcome.error.error}). Nothing was
            changed.
          </p>
          ${adminApproval(outcome.adminConsentUrl)} ${back(outcome.connection.id)}`,
      );
    case 'admin-consent-granted':
      return answer(
        200,
        'Admin consent granted',
        html`<p class="status ok">
            An administrator granted the permissions for the organisation. Finish with Link Account on the
            connections page.
          </p>
          ${back(outcome.connection.id)}`,
      );
    case 'admin-consent-cancelled':
      return answer(
        400,
        'Admin consent not granted',
        html`<p>Nothing was changed. Use Admin consent again when ready.</p>
          ${back(outcome.connection.id)}`,
      );
    case 'admin-consent-unsolicited':
      return answer(
        outcome.granted ? 200 : 400,
        outcome.granted ? 'Admin consent granted' : 'Admin consent not granted',
        html`<p>
          ${
            outcome.granted
              ? 'Thank you. Tell your Tenure administrator to finish with Link Account.'
              : 'Nothing was granted. Tell your Tenure administrator if this was not intended.'
          }
        </p>`,
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
          <p>Nothing was changed. Use Link Account again.</p>
          ${outcome.connection ? back(outcome.connection.id) : html``}`,
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
      `oauth redirect: ${outcome.kind}${'connection' in outcome && outcome.connection ? ` for connection ${outcome.connection.id}` : ''}`,
    );
    return render(outcome);
  } catch (error) {
    if (error instanceof ConnectionError && error.code === 'TENURE_OAUTH_STATE_INVALID') {
      context.warn('oauth redirect refused: state not valid for this browser');
      return answer(400, 'This sign-in link is not valid', html`<p class="status bad">${error.message}</p>`);
    }
    const res = errorResponse(error, context);
    if (error instanceof ConnectionError) {
      // Stable code and an admin-readable message (never a token or secret).
      context.warn(`oauth redirect failed: ${error.code}`);
      return answer(
        res.status ?? 500,
        'Link Account failed',
        html`<p class="status bad">${error.message}</p>`,
      );
    }
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
