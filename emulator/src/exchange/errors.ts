// Exchange admin API error answers, shaped as the REST endpoint behind the ExchangeOnlineManagement module sends
// them: error.code / error.message "Error executing cmdlet", the cmdlet's own failure in error.details[].message as
// "<ErrorId>|<ExceptionType>|<Message>", and an innererror naming the OData exception (graph-spec.md §7.2).
import type { EmulatorResponse } from '../http/router';

/** A cmdlet failure: HTTP status and code as the module sees them, plus the pipe-delimited detail parts. */
export class CmdletError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly errorId: string,
    readonly exceptionType: string,
    message: string,
  ) {
    super(message);
  }
}

const TASKS = 'Microsoft.Exchange.Configuration.Tasks';
/** A server name for "couldn't be found on '...'" messages, in the shape Exchange Online prints. */
export const DIRECTORY_SERVER = 'EMU01A001DC001.EMUPR01A001.PROD.OUTLOOK.COM';

export function objectNotFound(identity: string): CmdletError {
  return new CmdletError(
    404,
    'NotFound',
    'Ex6F9304',
    `${TASKS}.ManagementObjectNotFoundException`,
    `The operation couldn't be performed because object '${identity}' couldn't be found on '${DIRECTORY_SERVER}'.`,
  );
}

export function ambiguous(identity: string): CmdletError {
  return new CmdletError(
    400,
    'BadRequest',
    'Ex0D1D7F',
    `${TASKS}.ManagementObjectAmbiguousException`,
    `The operation couldn't be performed because '${identity}' matches multiple entries.`,
  );
}

/** A parameter the cmdlet does not take, or a value it cannot bind (PowerShell's parameter binding). */
export function parameterBinding(message: string): CmdletError {
  return new CmdletError(
    400,
    'BadRequest',
    'Ex1B2C3D',
    'System.Management.Automation.ParameterBindingException',
    message,
  );
}

/** A value the cmdlet refuses after binding (Exchange's own validation). */
export function invalidValue(message: string): CmdletError {
  return new CmdletError(
    400,
    'BadRequest',
    'Ex2A7E1F',
    'Microsoft.Exchange.Data.DataValidationException',
    message,
  );
}

export function invalidOperation(message: string): CmdletError {
  return new CmdletError(400, 'BadRequest', 'Ex4E9C21', 'System.InvalidOperationException', message);
}

export function cmdletErrorResponse(error: CmdletError, requestId: string): EmulatorResponse {
  return {
    status: error.status,
    headers: { 'request-id': requestId },
    body: {
      error: {
        code: error.code,
        message: 'Error executing cmdlet',
        details: [
          {
            code: 'Context',
            target: '',
            message: `${error.errorId}|${error.exceptionType}|${error.message}`,
          },
        ],
        innererror: {
          message: 'Error executing cmdlet',
          type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException',
          stacktrace: '',
          internalexception: {
            message: error.message,
            type: error.exceptionType,
            stacktrace: '',
          },
        },
      },
    },
  };
}

/** An OData-level error (no cmdlet ran): unknown cmdlet, malformed body, authorization. */
export function odataError(
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): EmulatorResponse {
  return {
    status,
    headers: { 'request-id': requestId, ...headers },
    body: {
      error: {
        code,
        message,
        innererror: { message, type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException' },
      },
    },
  };
}
