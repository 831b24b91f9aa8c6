// Temporary Access Pass methods (https://learn.microsoft.com/graph/api/authentication-post-temporaryaccesspassmethods):
// create, list, get, delete. A user has at most one pass; creating another replaces it. The pass value is returned
// only by the create call; reads answer `temporaryAccessPass: null`.
import { randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../../context';
import type { Router } from '../../http/router';
import { jsonBody } from '../../http/serve';
import type { Tenant } from '../../state/model';
import { requireDelegatedRole } from '../kernel/auth';
import { GraphError, graphErrors } from '../kernel/errors';
import { addGraphRoute, type GraphCall } from '../kernel/pipeline';
import type { PermissionRule } from '../kernel/auth';
import { isoOrNull, requireUser } from './userModel';
import { objectBody } from './userValidation';

/** Least privileged first; the read permission is accepted for reads only. */
const TAP_WRITE: PermissionRule = {
  application: ['UserAuthenticationMethod.ReadWrite.All'],
  delegated: ['UserAuthenticationMethod.ReadWrite.All'],
};
const TAP_READ: PermissionRule = {
  application: ['UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All'],
  delegated: ['UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All'],
};

/** The method policy's documented bounds and default lifetime (minutes). */
export const TAP_MIN_LIFETIME = 10;
export const TAP_MAX_LIFETIME = 43_200;
const TAP_DEFAULT_LIFETIME = 60;

interface TapMethod {
  id: string;
  pass: string;
  createdAt: number;
  startAt: number;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

const passesByTenant = new WeakMap<Tenant, Map<string, TapMethod>>();
function passes(tenant: Tenant): Map<string, TapMethod> {
  let m = passesByTenant.get(tenant);
  if (!m) passesByTenant.set(tenant, (m = new Map()));
  return m;
}

/** The current pass of a user, if any (for other emulator modules, e.g. sign-in). */
export function temporaryAccessPassOf(tenant: Tenant, userId: string): Readonly<TapMethod> | undefined {
  return passes(tenant).get(userId);
}

// Entra's passes are 8+ characters from a mixed alphabet (the doc's example is "+drkzqAD").
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789+#%@';
function newPass(): string {
  return [...randomBytes(8)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

function usability(m: TapMethod, now: number): { isUsable: boolean; methodUsabilityReason: string } {
  if (now < m.startAt) return { isUsable: false, methodUsabilityReason: 'NotYetValid' };
  if (now >= m.startAt + m.lifetimeInMinutes * 60_000)
    return { isUsable: false, methodUsabilityReason: 'Expired' };
  return { isUsable: true, methodUsabilityReason: 'EnabledByPolicy' };
}

function view(m: TapMethod, now: number, withPass: boolean): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
    id: m.id,
    temporaryAccessPass: withPass ? m.pass : null,
    createdDateTime: isoOrNull(m.createdAt),
    startDateTime: isoOrNull(m.startAt),
    lifetimeInMinutes: m.lifetimeInMinutes,
    isUsableOnce: m.isUsableOnce,
    ...usability(m, now),
  };
}

/** Validates the create body (all properties optional); Graph's observed text for a bad lifetime. */
function createInput(raw: unknown, now: number) {
  const body = raw === undefined ? {} : objectBody(raw);
  const known = new Set(['@odata.type', 'lifetimeInMinutes', 'isUsableOnce', 'startDateTime']);
  for (const key of Object.keys(body))
    if (!known.has(key))
      throw new GraphError(
        400,
        'badRequest',
        `The property '${key}' does not exist on type 'microsoft.graph.temporaryAccessPassAuthenticationMethod'. Make sure to only use property names that are defined by the type.`,
      );
  const lifetime = body.lifetimeInMinutes ?? TAP_DEFAULT_LIFETIME;
  if (
    typeof lifetime !== 'number' ||
    !Number.isInteger(lifetime) ||
    lifetime < TAP_MIN_LIFETIME ||
    lifetime > TAP_MAX_LIFETIME
  )
    throw new GraphError(
      400,
      'badRequest',
      `Invalid LifetimeInMinutes specified. The valid range between ${TAP_MIN_LIFETIME} and ${TAP_MAX_LIFETIME}.`,
    );
  const once = body.isUsableOnce ?? false;
  if (typeof once !== 'boolean') throw invalid('isUsableOnce');
  let startAt = now;
  if (body.startDateTime !== undefined && body.startDateTime !== null) {
    const parsed = typeof body.startDateTime === 'string' ? Date.parse(body.startDateTime) : NaN;
    if (Number.isNaN(parsed)) throw invalid('startDateTime');
    startAt = parsed;
  }
  return { lifetimeInMinutes: lifetime, isUsableOnce: once, startAt };
}

// The authentication-methods service answers with lower-camel `badRequest` (unlike the directory's codes).
const invalid = (property: string) =>
  new GraphError(400, 'badRequest', `Invalid value specified for property '${property}'.`);

function requireAuthAdmin(call: GraphCall): void {
  requireDelegatedRole(
    call.caller,
    'Global Administrator',
    'Privileged Authentication Administrator',
    'Authentication Administrator',
  );
}

export function registerTemporaryAccessPassRoutes(router: Router, ctx: EmulatorContext): void {
  const base = '/v1.0/users/{id}/authentication/temporaryAccessPassMethods';

  addGraphRoute(router, ctx, 'POST', base, { permissions: TAP_WRITE }, (req, call) => {
    requireAuthAdmin(call);
    const user = requireUser(call.tenant, req.params.id!);
    const input = createInput(jsonBody(req), call.now);
    const method: TapMethod = { id: randomUUID(), pass: newPass(), createdAt: call.now, ...input };
    // One pass per user: a new one replaces the previous.
    passes(call.tenant).set(user.id, method);
    return call.json(201, {
      '@odata.context': call.odataContext(
        `users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`,
      ),
      ...view(method, call.now, true),
    });
  });

  addGraphRoute(router, ctx, 'GET', base, { permissions: TAP_READ }, (req, call) => {
    requireAuthAdmin(call);
    const user = requireUser(call.tenant, req.params.id!);
    const m = passes(call.tenant).get(user.id);
    return call.json(200, {
      '@odata.context': call.odataContext(`users('${user.id}')/authentication/temporaryAccessPassMethods`),
      value: m ? [view(m, call.now, false)] : [],
    });
  });

  addGraphRoute(router, ctx, 'GET', `${base}/{methodId}`, { permissions: TAP_READ }, (req, call) => {
    requireAuthAdmin(call);
    const user = requireUser(call.tenant, req.params.id!);
    const m = passes(call.tenant).get(user.id);
    if (!m || m.id.toLowerCase() !== req.params.methodId!.toLowerCase())
      throw graphErrors.notFound(req.params.methodId!);
    return call.json(200, {
      '@odata.context': call.odataContext(
        `users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`,
      ),
      ...view(m, call.now, false),
    });
  });

  addGraphRoute(router, ctx, 'DELETE', `${base}/{methodId}`, { permissions: TAP_WRITE }, (req, call) => {
    requireAuthAdmin(call);
    const user = requireUser(call.tenant, req.params.id!);
    const m = passes(call.tenant).get(user.id);
    if (!m || m.id.toLowerCase() !== req.params.methodId!.toLowerCase())
      throw graphErrors.notFound(req.params.methodId!);
    passes(call.tenant).delete(user.id);
    return call.noContent();
  });
}
