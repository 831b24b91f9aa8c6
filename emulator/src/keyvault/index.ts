// The Key Vault service as the emulator starts it: its ServiceDefinition and its admin routes.
import type { EmulatorContext } from '../context';
import type { ServiceDefinition } from '../services';
import { registerCertificateRoutes } from './certificates';
import { registerKeyRoutes } from './keys';
import { registerSecretRoutes } from './secrets';
import { KeyVaultRoutes } from './service';
import { vaultOf } from './vault';

export { registerKeyVaultAdminRoutes } from './admin';

export function keyVaultService(ctx: EmulatorContext): ServiceDefinition {
  vaultOf(ctx); // builds the vault from the seed now, so a bad seed fails at start-up
  const routes = new KeyVaultRoutes(ctx);
  registerSecretRoutes(routes);
  registerKeyRoutes(routes);
  registerCertificateRoutes(routes);
  return routes.definition();
}
