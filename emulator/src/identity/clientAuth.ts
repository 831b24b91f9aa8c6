// Confidential-client authentication at the token endpoint: a client secret (form field or HTTP Basic) or a
// certificate client assertion (private_key_jwt: RS256 + x5t or PS256 + x5t#S256, checked against the
// application's uploaded certificates; aud, iss = sub = client id, exp/nbf and jti replay checked).
import { X509Certificate } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { EmulatorRequest } from '../http/router';
import type { Application, Tenant } from '../state/model';
import { decodeJwt, verifySignature } from '../tokens/jwt';
import { AUTHORITY_HOSTS } from './discovery';
import { AadError, aad } from './errors';
import { identityStore } from './store';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** appidacr: 0 public client, 1 secret, 2 certificate. */
export type ClientAuthLevel = '0' | '1' | '2';

/** The client id and secret from the form or from an HTTP Basic Authorization header. */
export function clientIdentity(
  req: EmulatorRequest,
  form: URLSearchParams,
): { clientId?: string; secret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0)
      return {
        clientId: decodeURIComponent(decoded.slice(0, i)),
        secret: decodeURIComponent(decoded.slice(i + 1)),
      };
  }
  return { clientId: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

export function authenticateClient(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  form: URLSearchParams,
  app: Application,
  tenant: Tenant,
  options: { confidentialRequired: boolean },
): ClientAuthLevel {
  const { secret } = clientIdentity(req, form);
  const assertion = form.get('client_assertion');
  if (secret !== undefined) return checkSecret(ctx, app, secret);
  if (assertion !== null) {
    const type = form.get('client_assertion_type');
    if (type !== JWT_BEARER)
      throw new AadError(
        'invalid_request',
        50027,
        `Invalid client_assertion_type '${type ?? ''}'. It must be '${JWT_BEARER}'.`,
      );
    checkAssertion(ctx, req, app, tenant, assertion);
    return '2';
  }
  const hasCredentials = app.keyCredentials.length + app.passwordCredentials.length > 0;
  if (options.confidentialRequired || hasCredentials) throw aad.noCredential();
  return '0';
}

function checkSecret(ctx: EmulatorContext, app: Application, secret: string): ClientAuthLevel {
  const now = ctx.state.clock.now();
  const matching = app.passwordCredentials.filter((c) => c.secret === secret);
  if (matching.length === 0) throw aad.badSecret(app.appId);
  if (!matching.some((c) => c.startDateTime <= now + 300_000 && c.endDateTime > now))
    throw aad.expiredSecret(app.appId);
  return '1';
}

/** The audiences Entra accepts for a client assertion: the token endpoint, named by tenant id or a domain. */
function acceptedAudiences(ctx: EmulatorContext, tenant: Tenant, segment: string): string[] {
  const names = new Set([tenant.id, segment, ...tenant.domains.filter((d) => d.isVerified).map((d) => d.id)]);
  const hosts = [ctx.endpoints.login, AUTHORITY_HOSTS[tenant.cloud]];
  const out: string[] = [];
  for (const host of hosts)
    for (const name of names) out.push(`${host}/${name}/oauth2/v2.0/token`, `${host}/${name}/oauth2/token`);
  return out.map((a) => a.toLowerCase());
}

function checkAssertion(
  ctx: EmulatorContext,
  req: EmulatorRequest,
  app: Application,
  tenant: Tenant,
  assertion: string,
) {
  const jwt = decodeJwt(assertion);
  if (!jwt) throw new AadError('invalid_client', 50027, 'JWT token is invalid or malformed.');
  const { header, claims } = jwt;
  if (claims.iss !== claims.sub)
    throw new AadError('invalid_client', 50048, 'Subject mismatches Issuer claim in the client assertion.');
  if (claims.iss !== app.appId)
    throw new AadError(
      'invalid_client',
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .`,
    );
  const aud = typeof claims.aud === 'string' ? claims.aud.toLowerCase() : '';
  const expected = acceptedAudiences(ctx, tenant, req.params.tenant ?? tenant.id);
  if (!expected.includes(aud))
    throw new AadError(
      'invalid_client',
      50013,
      `Assertion audience claim does not match the required value. The audience in the assertion was '${String(claims.aud)}' and the expected audience is '${ctx.endpoints.login}/${tenant.id}/oauth2/v2.0/token'.`,
    );
  const nowS = Math.floor(ctx.state.clock.now() / 1000);
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : undefined;
  if (exp === undefined || exp < nowS - 300 || (nbf !== undefined && nbf > nowS + 300))
    throw new AadError(
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${new Date(nowS * 1000).toISOString()}, assertion valid from ${nbf ? new Date(nbf * 1000).toISOString() : 'unset'}, expiry time of assertion ${exp ? new Date(exp * 1000).toISOString() : 'unset'}. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .`,
    );
  const alg = header.alg;
  const byS256 = typeof header['x5t#S256'] === 'string' ? (header['x5t#S256'] as string) : undefined;
  const bySha1 = typeof header.x5t === 'string' ? header.x5t : undefined;
  if (alg !== 'RS256' && alg !== 'PS256')
    throw new AadError(
      'invalid_client',
      5002738,
      `Invalid JWT token. '${String(alg)}' is not a supported signature algorithm. Supported signing algorithms are: 'RS256,PS256'`,
    );
  const thumbprint = byS256 ?? bySha1;
  const now = ctx.state.clock.now();
  const credential = app.keyCredentials.find((k) => (byS256 ? k.x5tS256 === byS256 : k.x5t === bySha1));
  if (!credential || credential.endDateTime < now || credential.startDateTime > now + 300_000)
    throw new AadError(
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint ? Buffer.from(thumbprint, 'base64url').toString('hex').toUpperCase() : 'none'}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.appId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments if you're not using the global cloud.]`,
    );
  const publicKey = new X509Certificate(Buffer.from(credential.certificateDer, 'base64')).publicKey;
  if (!verifySignature(jwt, publicKey))
    throw new AadError('invalid_client', 700027, 'Client assertion failed signature validation.');
  const jti = typeof claims.jti === 'string' ? claims.jti : undefined;
  if (!jti)
    throw new AadError(
      'invalid_client',
      50027,
      "JWT token is invalid or malformed: the 'jti' claim is missing.",
    );
  if (!identityStore(ctx.state).rememberAssertion(`${app.appId}|${jti}`, (exp + 300) * 1000, now))
    throw new AadError(
      'invalid_client',
      50013,
      `Assertion is invalid: the client assertion with jti '${jti}' has already been used (replay).`,
    );
}
