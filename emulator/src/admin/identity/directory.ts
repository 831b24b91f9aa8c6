// Directory roles, revoking a user's sessions, and the sign-in page's automation settings.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../../context';
import type { Router } from '../../http/router';
import { identityStore } from '../../identity/store';
import { DIRECTORY_ROLES } from '../../state/model';
import { notFound } from '../routes';
import { attempt, body, principalId, roleId, scoped } from './common';

export function registerDirectoryRoutes(router: Router, ctx: EmulatorContext): void {
  const { state } = ctx;
  const { withTenant } = scoped(ctx);
  // Directory roles.
  router.add(
    'POST',
    '/_emulator/tenants/{tenant}/roleAssignments',
    withTenant((req, tenant) => {
      const b = body(req);
      const role = roleId(String(b.role ?? ''));
      if (!role)
        throw new TypeError(
          `role must be one of: ${Object.keys(DIRECTORY_ROLES).join(', ')} (or a template id)`,
        );
      const principal = principalId(tenant, String(b.principal ?? ''));
      if (!principal) return notFound(`principal ${String(b.principal)}`);
      const existing = tenant.roleAssignments.find(
        (r) => r.principalId === principal && r.roleDefinitionId === role,
      );
      if (existing) return { status: 200, body: existing };
      const assignment = {
        id: randomUUID(),
        principalId: principal,
        roleDefinitionId: role,
        directoryScopeId: '/',
      };
      tenant.roleAssignments.push(assignment);
      return { status: 201, body: assignment };
    }),
  );
  router.add(
    'DELETE',
    '/_emulator/tenants/{tenant}/roleAssignments/{id}',
    withTenant((req, tenant) => {
      const i = tenant.roleAssignments.findIndex((r) => r.id === req.params.id);
      if (i < 0) return notFound(`role assignment ${req.params.id}`);
      tenant.roleAssignments.splice(i, 1);
      return { status: 204 };
    }),
  );

  // Sessions.
  router.add(
    'POST',
    '/_emulator/tenants/{tenant}/users/{user}/revokeSignInSessions',
    withTenant((req, tenant) => {
      const id = principalId(tenant, req.params.user!);
      const user = id ? tenant.users.get(id) : undefined;
      if (!user) return notFound(`user ${req.params.user}`);
      user.signInSessionsValidFrom = state.clock.now();
      return {
        status: 200,
        body: { id: user.id, signInSessionsValidFrom: new Date(user.signInSessionsValidFrom).toISOString() },
      };
    }),
  );

  // Automation settings of the sign-in page.
  const settings = identityStore(state).settings;
  router.add('GET', '/_emulator/identity/settings', () => ({ status: 200, body: settings }));
  router.add('PATCH', '/_emulator/identity/settings', (req) =>
    attempt(() => {
      const b = body(req);
      for (const key of Object.keys(b)) {
        if (key !== 'autoConsent' && key !== 'signInWithLoginHint')
          throw new TypeError(`unknown setting "${key}" (known: autoConsent, signInWithLoginHint)`);
        if (typeof b[key] !== 'boolean') throw new TypeError(`${key} must be true or false`);
        settings[key] = b[key];
      }
      return { status: 200, body: settings };
    }),
  );
}
