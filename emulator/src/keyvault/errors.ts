// Key Vault's error envelope: {"error":{"code","message","innererror"?}} with the status codes Key Vault uses.
// Handlers throw KeyVaultError; the service turns it into a response carrying Key Vault's headers.
import type { EmulatorResponse } from '../http/router';

export class KeyVaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toResponse(): EmulatorResponse {
    const error: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.innerCode) error.innererror = { code: this.innerCode };
    return { status: this.status, headers: this.headers, body: { error } };
  }
}

export type ObjectKind = 'secret' | 'key' | 'certificate';

const NOT_FOUND_CODE: Record<ObjectKind, string> = {
  secret: 'SecretNotFound',
  key: 'KeyNotFound',
  certificate: 'CertificateNotFound',
};

/** "A secret with (name/id) x was not found in this key vault. …" — Key Vault's wording for a missing object. */
export function notFound(kind: ObjectKind, nameOrId: string): KeyVaultError {
  return new KeyVaultError(
    404,
    NOT_FOUND_CODE[kind],
    `A ${kind} with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted this ${kind} you ` +
      `may be able to recover it using the correct recovery command. For help resolving this issue, please see ` +
      `https://go.microsoft.com/fwlink/?linkid=2125182`,
  );
}

export function deletedNotFound(kind: ObjectKind, name: string): KeyVaultError {
  const label = kind[0]!.toUpperCase() + kind.slice(1);
  return new KeyVaultError(404, NOT_FOUND_CODE[kind], `Deleted ${label} not found: ${name}`);
}

/** A name held by a soft-deleted object cannot be reused until it is recovered or purged. */
export function deletedConflict(kind: ObjectKind, name: string): KeyVaultError {
  const label = kind[0]!.toUpperCase() + kind.slice(1);
  return new KeyVaultError(
    409,
    'Conflict',
    `${label} ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this ` +
      `state, the ${kind} can only be recovered or purged.`,
  );
}

export function badParameter(message: string): KeyVaultError {
  return new KeyVaultError(400, 'BadParameter', message);
}

export function forbidden(message: string, innerCode?: string): KeyVaultError {
  return new KeyVaultError(403, 'Forbidden', message, innerCode);
}
