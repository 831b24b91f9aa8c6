// Emulator-only admin routes for OneDrive: provision a user's OneDrive (what the user's first sign-in or a
// SharePoint admin's pre-provisioning does in Microsoft 365) and list a tenant's drives.
import type { EmulatorContext } from '../context';
import type { EmulatorResponse, Router } from '../http/router';
import { driveView, hasOneDriveLicence, provisionDrive } from './drives';

export function registerOneDriveAdminRoutes(router: Router, ctx: EmulatorContext): void {
  const { state } = ctx;
  router.add('POST', '/_emulator/onedrive/{tenant}/users/{user}/provision', (req) => {
    const tenant = state.tenant(req.params.tenant!);
    if (!tenant) return notFound(`tenant ${req.params.tenant}`);
    const key = req.params.user!.toLowerCase();
    const user = [...tenant.users.values()].find(
      (u) => u.id === key || String(u.properties.userPrincipalName ?? '').toLowerCase() === key,
    );
    if (!user) return notFound(`user ${req.params.user}`);
    if (!hasOneDriveLicence(tenant, user))
      return {
        status: 409,
        body: {
          error: 'no_licence',
          message: 'the user holds no licence with a SharePoint Online / OneDrive plan',
        },
      };
    return { status: 200, body: driveView(tenant, provisionDrive(tenant, user, state.clock.now())) };
  });
  router.add('GET', '/_emulator/onedrive/{tenant}/drives', (req) => {
    const tenant = state.tenant(req.params.tenant!);
    if (!tenant) return notFound(`tenant ${req.params.tenant}`);
    return {
      status: 200,
      body: {
        value: [...tenant.drives.values()].map((d) => ({
          ...driveView(tenant, d),
          permissions: d.permissions,
        })),
      },
    };
  });
}

function notFound(what: string): EmulatorResponse {
  return { status: 404, body: { error: 'not_found', message: `${what} does not exist` } };
}
