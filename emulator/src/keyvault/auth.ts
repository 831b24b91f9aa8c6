// Who may call the vault: the 401 bearer challenge (what the SDKs' keyVaultAuthenticationPolicy answers), token
// checks (signature, lifetime, audience, tenant) and the vault's access list (403 AccessDenied, as an access-policy
// vault says it).
import type { EmulatorContext } from '../context';
import type { EmulatorRequest } from '../http/router';
import { checkAccessToken, issuerFor } from '../tokens/accessToken';
import { RESOURCE_URIS } from '../tokens/resources';
import { KeyVaultError, forbidden } from './errors';
import type { Vault } from './vault';

export const VAULT_NAME = 'tenure-emulator';
export const VAULT_LOCATION = 'local';

export interface Caller {
  tenantId: string;
  objectId: string;
  appId: string;
}

/** The audience Key Vault expects in the vault tenant's cloud. */
export function vaultResource(ctx: EmulatorContext, vault: Vault): string {
  const cloud = ctx.state.tenant(vault.tenantId)?.cloud ?? 'global';
  return RESOURCE_URIS.keyvault[cloud];
}

export function challengeHeader(ctx: EmulatorContext, vault: Vault): string {
  return `Bearer authorization="${ctx.endpoints.login}/${vault.tenantId}", resource="${vaultResource(ctx, vault)}"`;
}

function unauthorized(ctx: EmulatorContext, vault: Vault, message: string): KeyVaultError {
  return new KeyVaultError(401, 'Unauthorized', message, undefined, {
    'WWW-Authenticate': challengeHeader(ctx, vault),
  });
}

/** Checks the bearer token and the access list; throws Key Vault's 401 or 403. */
export function authorize(
  ctx: EmulatorContext,
  vault: Vault,
  req: EmulatorRequest,
  permission: string,
): Caller {
  const header = req.headers.authorization;
  if (!header || !/^Bearer\s/i.test(header))
    throw unauthorized(ctx, vault, 'AKV10000: Request is missing a Bearer or PoP token.');
  const check = checkAccessToken(ctx, header, 'keyvault');
  if (!check.ok) {
    switch (check.reason) {
      case 'audience': {
        const aud = tokenClaim(header, 'aud');
        throw unauthorized(
          ctx,
          vault,
          `AKV10022: Invalid audience. Expected ${vaultResource(ctx, vault)}, found: ${aud}.`,
        );
      }
      case 'expired':
        throw unauthorized(ctx, vault, 'AKV10022: Invalid token: the token has expired or is not yet valid.');
      case 'tenant':
        throw unauthorized(ctx, vault, `AKV10032: Invalid issuer. Expected ${issuerFor(vault.tenantId)}.`);
      default:
        throw unauthorized(ctx, vault, 'AKV10000: Request is missing a Bearer or PoP token.');
    }
  }
  const { claims, tenant } = check;
  if (tenant.id !== vault.tenantId)
    throw unauthorized(
      ctx,
      vault,
      `AKV10032: Invalid issuer. Expected one of ${issuerFor(vault.tenantId)}, found ${issuerFor(tenant.id)}.`,
    );
  const objectId = String(claims.oid ?? '');
  const appId = String(claims.appid ?? claims.azp ?? '');
  if (vault.access !== 'any' && !vault.access.has(objectId.toLowerCase()))
    throw forbidden(
      `The user, group or application 'appid=${appId};oid=${objectId};iss=${issuerFor(tenant.id)}' does not have ` +
        `${permission} permission on key vault '${VAULT_NAME};location=${VAULT_LOCATION}'. For help resolving this ` +
        `issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
      'AccessDenied',
    );
  return { tenantId: tenant.id, objectId, appId };
}

/** A claim of a token whose signature was already judged (only for error messages). */
function tokenClaim(header: string, name: string): string {
  try {
    const payload = header.split(/\s+/)[1]!.split('.')[1]!;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    return String(claims[name] ?? '');
  } catch {
    return '';
  }
}
