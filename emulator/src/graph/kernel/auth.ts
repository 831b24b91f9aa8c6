// Who is calling Graph and what they may do: the bearer token checked by the shared token checker, then the
// permission Graph documents for the operation (application `roles` or delegated `scp`), then — for sensitive
// operations — the directory roles of the caller (the app's service principal, or the signed-in user).
import type { EmulatorContext } from '../../context';
import type { Tenant } from '../../state/model';
import { DIRECTORY_ROLES } from '../../state/model';
import { checkAccessToken, rolesOf } from '../../tokens/accessToken';
import type { JwtClaims } from '../../tokens/jwt';
import { GraphError } from './errors';

export interface GraphCaller {
  kind: 'app' | 'user';
  tenant: Tenant;
  /** The client app id (appid claim). */
  appId: string;
  /** Object id of the service principal (app-only) or of the signed-in user (delegated). */
  principalId: string;
  /** Application permissions (roles claim) or delegated scopes (scp claim). */
  permissions: Set<string>;
  /**
   * Directory role template ids the principal holds now (read live from the tenant, as Entra evaluates
   * role assignments at call time rather than trusting a stale `wids` claim).
   */
  directoryRoles: Set<string>;
  claims: JwtClaims;
}

/** 401 messages Graph gives (InvalidAuthenticationToken), by the checker's reason. */
const TOKEN_MESSAGES: Record<string, string> = {
  missing: 'Access token is empty.',
  malformed: 'IDX14100: JWT is not well formed, there are no dots (.).',
  signature: 'Access token validation failure.',
  expired: 'Lifetime validation failed, the token is expired.',
  audience: 'Invalid audience.',
  tenant: 'Access token validation failure. Invalid audience.',
};

/**
 * Verified tokens, so $batch items and bulk loads do not pay an RSA verification each; expiry is re-checked
 * against the emulator clock on every use.
 */
const verified = new Map<string, { claims: JwtClaims; tenant: Tenant }>();
const MAX_CACHED = 1_000;

function checkCached(
  ctx: EmulatorContext,
  authorization: string | undefined,
): ReturnType<typeof checkAccessToken> {
  const key = authorization ?? '';
  const hit = verified.get(key);
  if (
    hit &&
    typeof hit.claims.exp === 'number' &&
    hit.claims.exp > ctx.state.clock.now() / 1000 &&
    ctx.state.tenant(hit.tenant.id) === hit.tenant
  )
    return { ok: true, ...hit };
  const check = checkAccessToken(ctx, authorization, 'graph');
  if (check.ok) {
    if (verified.size >= MAX_CACHED) verified.clear();
    verified.set(key, { claims: check.claims, tenant: check.tenant });
  }
  return check;
}

/** Checks the Authorization header for Graph; throws a 401 GraphError when the token is not acceptable. */
export function authenticateGraph(ctx: EmulatorContext, authorization: string | undefined): GraphCaller {
  const check = checkCached(ctx, authorization);
  if (!check.ok) {
    const message =
      check.reason === 'malformed' && /^Bearer\s+\S+\.\S+/i.test(authorization ?? '')
        ? 'Access token validation failure.'
        : (TOKEN_MESSAGES[check.reason] ?? 'Access token validation failure.');
    throw new GraphError(401, 'InvalidAuthenticationToken', message, undefined, {
      'WWW-Authenticate':
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"',
    });
  }
  const { claims, tenant } = check;
  const kind = claims.idtyp === 'user' || typeof claims.scp === 'string' ? 'user' : 'app';
  const permissions =
    kind === 'app'
      ? new Set(Array.isArray(claims.roles) ? (claims.roles as string[]) : [])
      : new Set(
          String(claims.scp ?? '')
            .split(' ')
            .filter(Boolean),
        );
  const principalId = String(claims.oid ?? '');
  return {
    kind,
    tenant,
    appId: String(claims.appid ?? ''),
    principalId,
    permissions,
    directoryRoles: new Set(rolesOf(tenant, principalId)),
    claims,
  };
}

/**
 * The permissions an operation accepts, as Graph's permission tables list them (least privileged first). A
 * caller needs any one of them. `delegated` defaults to `application`.
 */
export interface PermissionRule {
  application: string[];
  delegated?: string[];
}

export function hasPermission(caller: GraphCaller, rule: PermissionRule): boolean {
  const accepted = caller.kind === 'app' ? rule.application : (rule.delegated ?? rule.application);
  return accepted.some((p) => caller.permissions.has(p));
}

/** Throws 403 Authorization_RequestDenied unless the caller holds one of the permissions. */
export function requirePermission(caller: GraphCaller, rule: PermissionRule): void {
  if (!hasPermission(caller, rule)) throw forbidden();
}

export function forbidden(): GraphError {
  return new GraphError(
    403,
    'Authorization_RequestDenied',
    'Insufficient privileges to complete the operation.',
  );
}

const R = DIRECTORY_ROLES;

export function holdsRole(caller: GraphCaller, ...roles: (keyof typeof DIRECTORY_ROLES)[]): boolean {
  return roles.some((r) => caller.directoryRoles.has(R[r]));
}

/** For delegated calls: throws 403 unless the signed-in user holds one of the roles (admin operations). */
export function requireDelegatedRole(caller: GraphCaller, ...roles: (keyof typeof DIRECTORY_ROLES)[]): void {
  if (caller.kind === 'user' && !holdsRole(caller, ...roles)) throw forbidden();
}

/**
 * Roles a target may hold and still be managed by a User Administrator / Helpdesk Administrator ("Who can
 * perform sensitive actions" / "Who can reset passwords",
 * https://learn.microsoft.com/entra/identity/role-based-access-control/privileged-roles-permissions). Any other
 * role makes the target privileged: only a Privileged Authentication Administrator or Global Administrator may
 * reset its password, disable it, delete it or change its phone numbers.
 */
const MANAGEABLE_BY_USER_ADMIN = new Set<string>([
  R['User Administrator'],
  R['Helpdesk Administrator'],
  R['Global Reader'],
  R['Directory Readers'],
  R['Groups Administrator'],
  R['License Administrator'],
  R['Authentication Administrator'],
]);
const MANAGEABLE_BY_HELPDESK = new Set<string>([
  R['Helpdesk Administrator'],
  R['Global Reader'],
  R['Directory Readers'],
]);

export type SensitiveAction = 'resetPassword' | 'enableDisable' | 'delete' | 'sensitiveProperty';

/** Whether the caller's directory roles allow a sensitive action on a target holding `targetRoles`. */
export function canActOn(caller: GraphCaller, targetRoles: string[], action: SensitiveAction): boolean {
  if (holdsRole(caller, 'Global Administrator', 'Privileged Authentication Administrator')) return true;
  if (holdsRole(caller, 'User Administrator') && targetRoles.every((r) => MANAGEABLE_BY_USER_ADMIN.has(r)))
    return true;
  if (
    action === 'resetPassword' &&
    holdsRole(caller, 'Helpdesk Administrator', 'Authentication Administrator') &&
    targetRoles.every((r) => MANAGEABLE_BY_HELPDESK.has(r))
  )
    return true;
  return false;
}

/**
 * Sensitive actions on a user: a target without admin roles needs only the permission (except password
 * reset, which needs an admin role even then); a target with admin roles needs a caller with a higher role.
 */
export function requireSensitiveAction(
  caller: GraphCaller,
  tenant: Tenant,
  targetId: string,
  action: SensitiveAction,
): void {
  const targetRoles = rolesOf(tenant, targetId);
  if (action !== 'resetPassword' && targetRoles.length === 0 && caller.kind === 'app') return;
  if (!canActOn(caller, targetRoles, action)) throw forbidden();
}
