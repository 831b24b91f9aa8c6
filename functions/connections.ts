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
import { adminOnly } from './adminAccess';
import { connectionDeps } from './connectionDeps';
import { badRequest, errorResponse } from './httpErrors';

const answerError = (error: unknown, _request: HttpRequest, context: InvocationContext): HttpResponseInit =>
  errorResponse(error, context);

export const createConnectionHandler = adminOnly(async (request, context) => {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return badRequest([{ field: '', reason: 'the body is not valid JSON' }]);
  }
  const input = validateCreateInput(body, process.env);
  if (!input.ok) return badRequest(input.errors);
  const connection = await createConnection(connectionDeps(), input.value);
  context.log(`connection ${connection.id} created (${connection.kind}, ${connection.cloud})`);
  return {
    status: 201,
    headers: { location: `/api/connections/${connection.id}` },
    jsonBody: publicView(connection),
  };
}, answerError);

export const listConnectionsHandler = adminOnly(
  async () => ({ status: 200, jsonBody: { value: (await connectionDeps().repo.list()).map(publicView) } }),
  answerError,
);

export const getConnectionHandler = adminOnly(
  async (request) => ({
    status: 200,
    jsonBody: publicView(await getConnection(connectionDeps(), request.params.id ?? '')),
  }),
  answerError,
);

export const downloadCertificateHandler = adminOnly(async (request) => {
  const format = request.query.get('format') ?? 'cer';
  if (format !== 'cer' && format !== 'pem')
    return badRequest([{ field: 'format', reason: 'must be cer or pem' }]);
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
}, answerError);

export const linkConnectionHandler = adminOnly(async (request, context) => {
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
}, answerError);

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
