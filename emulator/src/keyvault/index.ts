// The Key Vault service as the emulator starts it: its ServiceDefinition and its admin routes.
import type { EmulatorContext } from '../context';
import type { ServiceDefinition } from '../services';
import { registerCertificateRoutes } from './certificates';
import { registerKeyRoutes } from './keys';
import { registerSecretRoutes } from './secrets';
import { KeyVaultRoutes } from './service';

export { registerKeyVaultAdminRoutes } from './admin';

export function keyVaultService(ctx: EmulatorContext): ServiceDefinition {
  const routes = new KeyVaultRoutes(ctx);
  registerSecretRoutes(routes);
  registerKeyRoutes(routes);
  registerCertificateRoutes(routes);
  return routes.definition();
}
