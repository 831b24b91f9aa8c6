// Emulator-only admin endpoints for what an administrator does in the Entra portal: app registrations and their
// certificates and secrets, admin consent without a browser, directory roles, revoking a user's sessions, and the
// sign-in automation settings. Documented in emulator/docs/identity.md.
import type { EmulatorContext } from '../context';
import type { Router } from '../http/router';
import { registerApplicationRoutes } from './identity/applications';
import { registerConsentRoutes } from './identity/consents';
import { registerDirectoryRoutes } from './identity/directory';

export function registerIdentityAdminRoutes(router: Router, ctx: EmulatorContext): void {
  registerApplicationRoutes(router, ctx);
  registerConsentRoutes(router, ctx);
  registerDirectoryRoutes(router, ctx);
}
