/**
 * Graph error responses → Tenure errors (pure). Branches on status, `error.code` and `details[].code`; message
 * text is consulted only where Graph gives no code (licence and membership cases), and never copied into our
 * messages (it may quote values).
 */
import { TenureError, type TenureErrorCode } from '../engine/errors';
import { graphErrorOf, type GraphResponse } from './types';
import { retryAfterMs } from './policy';
import { GATED_ATTRIBUTES } from './userShape';

export interface ErrorContext {
  /** What was attempted, e.g. `createUser` (names the operation, never values). */
  readonly action: string;
  readonly workerId?: string;
}

const USAGE_LOCATION = /usage location/i;
const NO_SEATS = /does not have any available licenses|CountViolation|not enough licenses/i;
const ALREADY_MEMBER = /added object references already exist/i;
const NOT_MEMBER = /removed object references do not exist/i;

/** "Already a member" on a group add: idempotent success. */
export function isAlreadyMember(response: GraphResponse): boolean {
  const err = graphErrorOf(response);
  return response.status === 400 && err !== undefined && ALREADY_MEMBER.test(err.message);
}

/** "Not a member" (either documented shape) on a group removal: idempotent success. */
export function isNotMember(response: GraphResponse): boolean {
  const err = graphErrorOf(response);
  if (response.status === 404) return true;
  return response.status === 400 && err !== undefined && NOT_MEMBER.test(err.message);
}

function make(
  code: TenureErrorCode,
  message: string,
  response: GraphResponse,
  ctx: ErrorContext,
  extra = {},
) {
  const err = graphErrorOf(response);
  return new TenureError(code, message, {
    workerId: ctx.workerId,
    operationKind: ctx.action,
    graphStatus: response.status,
    graphCode: err?.code,
    ...extra,
  });
}

export function toGraphError(response: GraphResponse, ctx: ErrorContext): TenureError {
  const err = graphErrorOf(response);
  const status = response.status;
  const what = `Graph ${ctx.action}`;
  if (status === 429) {
    return make('TENURE_GRAPH_THROTTLED', `${what} was throttled.`, response, ctx, {
      retryAfterMs: retryAfterMs(response.headers),
    });
  }
  if (status >= 500) {
    return make('TENURE_GRAPH_UNAVAILABLE', `${what} failed with HTTP ${status}.`, response, ctx, {
      retryAfterMs: retryAfterMs(response.headers),
    });
  }
  if (status === 401)
    return make('TENURE_GRAPH_UNAUTHORIZED', `${what}: the token was refused.`, response, ctx);
  if (status === 403) {
    return make(
      'TENURE_GRAPH_FORBIDDEN',
      `${what}: insufficient privileges (${err?.code ?? 'HTTP 403'}); check the connection's permissions and roles.`,
      response,
      ctx,
    );
  }
  if (status === 404) return make('TENURE_GRAPH_NOT_FOUND', `${what}: object not found.`, response, ctx);
  if (status === 424)
    return make('TENURE_GRAPH_DEPENDENCY_FAILED', `${what}: a request it depends on failed.`, response, ctx);
  const conflict = err?.details.find((d) => d.code === 'ObjectConflict');
  if (conflict) {
    return make(
      'TENURE_GRAPH_CONFLICT',
      `${what}: another object already uses ${conflict.target ?? 'a unique value'}.`,
      response,
      ctx,
      {
        target: conflict.target,
      },
    );
  }
  if (err && USAGE_LOCATION.test(err.message)) {
    return make(
      'TENURE_LICENSE_USAGE_LOCATION',
      `${what}: the user has no valid usageLocation yet.`,
      response,
      ctx,
    );
  }
  if (err && NO_SEATS.test(err.message)) {
    return make(
      'TENURE_LICENSE_NO_SEATS',
      `${what}: the subscription has no free licences; add seats, then replay the worker.`,
      response,
      ctx,
    );
  }
  return make(
    'TENURE_GRAPH_BAD_REQUEST',
    `${what} was rejected (${err?.code ?? `HTTP ${status}`}).`,
    response,
    ctx,
  );
}

/**
 * A 403 on a write that carries a permission-gated attribute (employeeLeaveDateTime): Graph refuses the whole
 * request, so name the attribute and the permission it needs (the usual cause) instead of a bare 403.
 */
export function namingGatedPermission(error: TenureError, written: Iterable<string>): TenureError {
  if (error.code !== 'TENURE_GRAPH_FORBIDDEN') return error;
  const attribute = [...written].find((a) => Object.hasOwn(GATED_ATTRIBUTES, a));
  if (!attribute) return error;
  const permission = GATED_ATTRIBUTES[attribute]!;
  return new TenureError(
    'TENURE_GRAPH_FORBIDDEN',
    `Graph ${error.details.operationKind ?? 'write'}: insufficient privileges (${error.details.graphCode ?? 'HTTP 403'}) ` +
      `for a write that includes ${attribute}, which needs the permission ${permission} (admin-consented) on the ` +
      `connection, and for a service-provider connection an account that links as a Global Administrator; grant ` +
      `it, link the connection again, then replay the worker.`,
    { ...error.details, target: attribute, requiredPermission: permission },
  );
}
