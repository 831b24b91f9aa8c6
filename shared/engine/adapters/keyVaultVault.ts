// Initial credentials as short-lived Key Vault secrets (expiresOn set), for the hand-over step. Never logged.
import type { SecretClient } from '@azure/keyvault-secrets';
import { TenureError } from '../errors';
import type { CredentialVault } from '../ports';

/** Key Vault names allow letters, digits and dashes (1-127). */
export function initialCredentialSecretName(flow: string, employeeId: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9-]/g, (ch) => `-${ch.charCodeAt(0).toString(16)}-`);
  return `initial-${clean(flow)}--${clean(employeeId)}`.slice(0, 127);
}

export class KeyVaultCredentialVault implements CredentialVault {
  constructor(private readonly secrets: () => SecretClient) {}

  async storeInitialCredential(
    flow: string,
    employeeId: string,
    secret: string,
    expiresOn: Date,
  ): Promise<string> {
    const name = initialCredentialSecretName(flow, employeeId);
    try {
      await this.secrets().setSecret(name, secret, {
        expiresOn,
        contentType: 'application/vnd.tenure.initial-credential',
        tags: { flow, employeeId },
      });
    } catch (failure) {
      // Not kept as `cause`: the SDK's error carries the request, whose body is the credential itself.
      const status = (failure as { statusCode?: number }).statusCode;
      throw new TenureError(
        'TENURE_SECRET_STORE_UNAVAILABLE',
        `Key Vault refused or failed to store the initial credential${status ? ` (HTTP ${status})` : ''}.`,
        { target: name },
        { terminal: status === 403 },
      );
    }
    return name;
  }
}
