// Connection admin endpoints: create, list, read, download the certificate, and link (verify) a customer-owned app.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import {
  certificateForUpload,
  createConnection,
  getConnection,
  linkCustomerApp,
  publicView,
  validateCreateInput,
} from '../shared/connections/service';
import { denyUnlessAdmin } from './adminAccess';
import { connectionDeps } from './connectionDeps';
import { badRequest, errorResponse } from './httpErrors';

export async function createConnectionHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const denied = denyUnlessAdmin(request);
  if (denied) return denied;
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return badRequest([{ field: '', reason: 'the body is not valid JSON' }]);
  }
  const input = validateCreateInput(body, process.env);
  if (!input.ok) return badRequest(input.errors);
  try {
    const connection = await createConnection(connectionDeps(), input.value);
    context.log(`connection ${connection.id} created (${connection.kind}, ${connection.cloud})`);
    return {
      status: 201,
      headers: { location: `/api/connections/${connection.id}` },
      jsonBody: publicView(connection),
    };
  } catch (error) {
    return errorResponse(error, context);
  }
}

export async function listConnectionsHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const denied = denyUnlessAdmin(request);
  if (denied) return denied;
  try {
    return { status: 200, jsonBody: { value: (await connectionDeps().repo.list()).map(publicView) } };
  } catch (error) {
    return errorResponse(error, context);
  }
}

export async function getConnectionHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const denied = denyUnlessAdmin(request);
  if (denied) return denied;
  try {
    return {
      status: 200,
      jsonBody: publicView(await getConnection(connectionDeps(), request.params.id ?? '')),
    };
  } catch (error) {
    return errorResponse(error, context);
  }
}

export async function downloadCertificateHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const denied = denyUnlessAdmin(request);
  if (denied) return denied;
  const format = request.query.get('format') ?? 'cer';
  if (format !== 'cer' && format !== 'pem')
    return badRequest([{ field: 'format', reason: 'must be cer or pem' }]);
  try {
    const deps = connectionDeps();
    const connection = await getConnection(deps, request.params.id ?? '');
    const cert = await certificateForUpload(deps, connection);
    const filename = `tenure-${connection.id}-${cert.version.slice(0, 8)}.${format}`;
    return {
      status: 200,
      headers: {
        'content-type': format === 'cer' ? 'application/pkix-cert' : 'application/x-pem-file',
        'content-disposition': `attachment; filename="${filename}"`,
        'x-certificate-thumbprint': cert.thumbprintHex,
        'x-certificate-expires': cert.notAfter,
      },
      body: format === 'cer' ? cert.der : cert.pem,
    };
  } catch (error) {
    return errorResponse(error, context);
  }
}

export async function linkConnectionHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const denied = denyUnlessAdmin(request);
  if (denied) return denied;
  try {
    const { connection, check } = await linkCustomerApp(connectionDeps(), request.params.id ?? '');
    context.log(
      `connection ${connection.id} link check: ${connection.status} (${check.missing.length} missing)`,
    );
    return {
      status: 200,
      jsonBody: {
        status: check.linked ? 'linked' : connection.status,
        missing: check.missing,
        granted: check.granted,
        connection: publicView(connection),
      },
    };
  } catch (error) {
    return errorResponse(error, context);
  }
}

app.http('createConnection', {
  route: 'connections',
  methods: ['POST'],
  authLevel: 'function',
  handler: createConnectionHandler,
});
app.http('listConnections', {
  route: 'connections',
  methods: ['GET'],
  authLevel: 'function',
  handler: listConnectionsHandler,
});
app.http('getConnection', {
  route: 'connections/{id}',
  methods: ['GET'],
  authLevel: 'function',
  handler: getConnectionHandler,
});
app.http('downloadCertificate', {
  route: 'connections/{id}/certificate',
  methods: ['GET'],
  authLevel: 'function',
  handler: downloadCertificateHandler,
});
app.http('linkConnection', {
  route: 'connections/{id}/link',
  methods: ['POST'],
  authLevel: 'function',
  handler: linkConnectionHandler,
});
