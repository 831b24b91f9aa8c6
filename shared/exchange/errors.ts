/**
 * Exchange admin API failures → Tenure errors (pure). A failed cmdlet carries `error.details[].message` as
 * `<ErrorId>|<ExceptionType>|<Message>` (else `error.innererror.internalException.message`, else `error.message`,
 * the order ExoHelper and CIPP read them in; graph-spec.md §7.2). We branch on the exception type; Exchange's own
 * message text quotes identities, so it is never copied into ours. Refusals of the token carry no code at all, so
 * only there the text says which fix applies (missing Exchange.ManageAsApp vs missing role).
 */
import { TenureError, type TenureErrorCode } from '../engine/errors';
import { isThrottled, serviceDelayMs } from './policy';
import type { CmdletFailure, ExchangeHttpResponse } from './types';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Splits a pipe-delimited detail; a message without pipes is all message. */
export function splitDetail(text: string): CmdletFailure {
  const parts = text.split('|');
  if (parts.length < 3) return { errorId: '', exceptionType: '', message: text };
  return { errorId: parts[0]!, exceptionType: parts[1]!, message: parts.slice(2).join('|') };
}

/** The cmdlet failure in an error answer, in ExoHelper's order of places to look. */
export function cmdletFailureOf(text: string): CmdletFailure | undefined {
  const body = parseJson(text) as { error?: Record<string, unknown> } | undefined;
  const error = body?.error;
  if (!error || typeof error !== 'object') return undefined;
  const details = Array.isArray(error.details) ? (error.details as { message?: unknown }[]) : [];
  const detail = details.map((d) => str(d?.message)).find((m) => m !== undefined);
  if (detail) return splitDetail(detail);
  const inner = error.innererror as { internalException?: { message?: unknown } } | undefined;
  const internal = str(inner?.internalException?.message);
  if (internal) return splitDetail(internal);
  const message = str(error.message);
  return message ? { errorId: '', exceptionType: '', message } : undefined;
}

/** The last segment of a .NET type name. */
export function shortType(exceptionType: string): string {
  return exceptionType.split('.').pop() ?? exceptionType;
}

const BY_EXCEPTION: Record<string, TenureErrorCode> = {
  ManagementObjectNotFoundException: 'TENURE_EXCHANGE_NOT_FOUND',
  ParameterBindingException: 'TENURE_EXCHANGE_PARAMETER_BINDING',
  ParameterBindingValidationException: 'TENURE_EXCHANGE_PARAMETER_BINDING',
  ParameterBindingArgumentTransformationException: 'TENURE_EXCHANGE_PARAMETER_BINDING',
  CommandNotFoundException: 'TENURE_EXCHANGE_PARAMETER_BINDING',
};

const NO_MANAGE_AS_APP = /Exchange\.ManageAsApp/i;
const NOT_ALLOWED = /is not allowed to call|not allowed to run/i;

function unauthorizedReason(text: string, cmdlet: string): string {
  const failure = cmdletFailureOf(text)?.message ?? '';
  if (NO_MANAGE_AS_APP.test(failure)) {
    return (
      'the app has no admin-consented Exchange.ManageAsApp application permission on Office 365 Exchange Online; ' +
      'add it and grant consent, then replay the worker'
    );
  }
  if (NOT_ALLOWED.test(failure)) {
    return `the app's Exchange role only allows reading, not ${cmdlet}; assign Exchange Administrator`;
  }
  if (failure !== '') {
    return "the app's service principal holds no Exchange role (e.g. Exchange Administrator); assign one";
  }
  return 'the token was refused (wrong tenant, audience or expired); check the connection';
}

/** Turns a failed InvokeCommand answer into a TenureError naming the cmdlet and the exception type. */
export function toExchangeError(response: ExchangeHttpResponse, cmdlet: string, nowMs: number): TenureError {
  const base = { operationKind: cmdlet, cmdlet, graphStatus: response.status };
  if (isThrottled(response)) {
    return new TenureError(
      'TENURE_EXCHANGE_THROTTLED',
      `Exchange ${cmdlet} was throttled.`,
      { ...base, retryAfterMs: serviceDelayMs(response.headers, nowMs) },
      { terminal: false },
    );
  }
  if (response.status === 401 || response.status === 403) {
    return new TenureError(
      'TENURE_EXCHANGE_UNAUTHORIZED',
      `Exchange ${cmdlet} was refused: ${unauthorizedReason(response.text, cmdlet)}.`,
      base,
    );
  }
  if (response.status >= 500 || response.status === 408) {
    return new TenureError(
      'TENURE_EXCHANGE_UNAVAILABLE',
      `Exchange ${cmdlet} failed with HTTP ${response.status}.`,
      { ...base, retryAfterMs: serviceDelayMs(response.headers, nowMs) },
    );
  }
  const failure = cmdletFailureOf(response.text);
  const type = failure ? shortType(failure.exceptionType) : '';
  const code: TenureErrorCode =
    BY_EXCEPTION[type] ?? (response.status === 404 ? 'TENURE_EXCHANGE_NOT_FOUND' : 'TENURE_EXCHANGE_INVALID');
  const what =
    code === 'TENURE_EXCHANGE_NOT_FOUND'
      ? 'the object was not found'
      : code === 'TENURE_EXCHANGE_PARAMETER_BINDING'
        ? 'a parameter could not be bound'
        : 'Exchange refused the change';
  return new TenureError(
    code,
    `Exchange ${cmdlet} failed: ${what}${type ? ` (${type}${failure?.errorId ? ` ${failure.errorId}` : ''})` : ''}.`,
    { ...base, exchangeException: type || undefined },
  );
}
