/**
 * SCIM 2.0 BulkRequest as Entra API-driven provisioning's /bulkUpload takes it (Graph "Perform bulkUpload"):
 * `schemas` = [BULK_REQUEST], `Operations` of at most 50 entries, each `method: POST`, `path: /Users`, a
 * `bulkId`, and `data` = a SCIM User (core, enterprise extension, custom extensions) whose `externalId` is the
 * worker key. `failOnErrors` is accepted and ignored (every operation is answered on its own).
 */
import type { Flow, HrFieldError } from '../flows';
import { IngestError } from './errors';
import type { IncomingRecord } from './incoming';
import { CORE_USER, mapScimUser } from './scimMapping';

export const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function prop(obj: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

export function readBulkRequest(flow: Flow, body: unknown, maxOperations: number): IncomingRecord[] {
  if (!isObject(body))
    throw new IngestError('TENURE_INGEST_NOT_A_BULK_REQUEST', 'A SCIM BulkRequest must be a JSON object.');
  const schemas = prop(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.includes(BULK_REQUEST))
    throw new IngestError('TENURE_INGEST_NOT_A_BULK_REQUEST', `"schemas" must contain "${BULK_REQUEST}".`, {
      field: 'schemas',
    });
  const operations = prop(body, 'Operations');
  if (!Array.isArray(operations))
    throw new IngestError(
      'TENURE_INGEST_NOT_A_BULK_REQUEST',
      '"Operations" must be an array of operations.',
      {
        field: 'Operations',
      },
    );
  if (operations.length > maxOperations)
    throw new IngestError(
      'TENURE_INGEST_TOO_MANY_RECORDS',
      `The size of the bulk operation exceeds the maxOperations (${maxOperations}): the request has ${operations.length} operations. Send at most ${maxOperations} per request.`,
      { limit: maxOperations, received: operations.length },
    );
  return operations.map((op, index) => readOperation(flow, op, index));
}

function readOperation(flow: Flow, op: unknown, index: number): IncomingRecord {
  if (!isObject(op))
    return { ref: { index }, errors: [{ field: '', reason: 'an operation must be a JSON object' }] };
  const bulkId = prop(op, 'bulkId');
  const ref = { operation: typeof bulkId === 'string' ? bulkId : undefined, index };
  const errors: HrFieldError[] = [];
  const method = prop(op, 'method');
  if (typeof method !== 'string' || method.toUpperCase() !== 'POST')
    errors.push({
      field: 'method',
      reason: 'must be POST (the worker is created or updated as its record says)',
    });
  const path = prop(op, 'path');
  if (typeof path !== 'string' || path.toLowerCase() !== '/users')
    errors.push({ field: 'path', reason: 'must be /Users' });
  if (typeof bulkId !== 'string' || bulkId === '') errors.push({ field: 'bulkId', reason: 'required' });
  const data = prop(op, 'data');
  if (!isObject(data)) {
    errors.push({ field: 'data', reason: 'required: the SCIM User resource' });
    return { ref, errors };
  }
  const schemas = prop(data, 'schemas');
  if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === CORE_USER.toLowerCase())
  )
    errors.push({ field: 'data.schemas', reason: `must contain ${CORE_USER}` });
  const externalId = prop(data, 'externalId');
  let envelopeId: IncomingRecord['envelopeId'];
  if (typeof externalId !== 'string' || externalId.trim() === '')
    errors.push({ field: 'externalId', reason: 'required: the worker key (employee ID)' });
  else envelopeId = { value: externalId.trim(), name: 'SCIM externalId' };
  if (errors.length > 0) return { ref, errors, envelopeId };
  const mapped = mapScimUser(flow, data);
  return {
    ref,
    raw: mapped.raw,
    envelopeId,
    errors,
    ignoredAttributes: mapped.ignored.length > 0 ? mapped.ignored : undefined,
  };
}
