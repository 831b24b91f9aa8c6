// The admin page (GET /api/admin?code=<function key>) and its two form actions, which answer with a redirect back
// to the page (post/redirect/get) carrying a short notice.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { ConnectionError } from '../shared/connections/errors';
import { createConnection, linkCustomerApp, validateCreateInput } from '../shared/connections/service';
import { renderAdminPage } from '../shared/web/adminPage';
import { PAGE_HEADERS } from '../shared/web/html';
import { adminOnly } from './adminAccess';
import { connectionDeps } from './connectionDeps';
import { errorResponse } from './httpErrors';

function keyOf(request: HttpRequest): string {
  return request.query.get('code') ?? request.headers.get('x-functions-key') ?? '';
}

function backToPage(request: HttpRequest, notice: string): HttpResponseInit {
  return {
    status: 303,
    headers: {
      location: `/api/admin?code=${encodeURIComponent(keyOf(request))}&notice=${encodeURIComponent(notice)}`,
    },
  };
}

/** Errors the admin can act on go back to the page as a notice; anything else is a plain error answer. */
function answerError(error: unknown, request: HttpRequest, context: InvocationContext): HttpResponseInit {
  if (error instanceof ConnectionError) return backToPage(request, error.message);
  return errorResponse(error, context);
}

export const adminPageHandler = adminOnly(
  async (request) => {
    const notice = request.query.get('notice')?.slice(0, 300) ?? undefined;
    return {
      status: 200,
      headers: PAGE_HEADERS,
      body: renderAdminPage(await connectionDeps().repo.list(), keyOf(request), notice),
    };
  },
  (error, _request, context) => errorResponse(error, context),
);

export const adminCreateHandler = adminOnly(async (request, context) => {
  const form = new URLSearchParams(await request.text());
  const body: Record<string, unknown> = {
    kind: form.get('kind'),
    cloud: form.get('cloud'),
    tenantId: form.get('tenantId')?.trim(),
    addOns: form.getAll('addOns'),
  };
  if (form.get('clientId')?.trim()) body.clientId = form.get('clientId')!.trim();
  if (form.get('displayName')?.trim()) body.displayName = form.get('displayName')!.trim();
  if (form.get('id')?.trim()) body.id = form.get('id')!.trim();
  const input = validateCreateInput(body, process.env);
  if (!input.ok)
    return backToPage(
      request,
      `Not created: ${input.errors.map((e) => `${e.field} ${e.reason}`).join('; ')}`,
    );
  const c = await createConnection(connectionDeps(), input.value);
  context.log(`connection ${c.id} created (${c.kind}, ${c.cloud})`);
  return backToPage(request, `Connection ${c.id} created.`);
}, answerError);

export const adminLinkHandler = adminOnly(async (request) => {
  const { connection, check } = await linkCustomerApp(connectionDeps(), request.params.id ?? '');
  return backToPage(
    request,
    check.linked
      ? `Connection ${connection.id} is linked.`
      : `Connection ${connection.id}: ${check.missing.length} item(s) missing — see below.`,
  );
}, answerError);

app.http('adminPage', { route: 'admin', methods: ['GET'], authLevel: 'function', handler: adminPageHandler });
app.http('adminCreateConnection', {
  route: 'admin/connections',
  methods: ['POST'],
  authLevel: 'function',
  handler: adminCreateHandler,
});
app.http('adminLinkConnection', {
  route: 'admin/connections/{id}/link',
  methods: ['POST'],
  authLevel: 'function',
  handler: adminLinkHandler,
});
