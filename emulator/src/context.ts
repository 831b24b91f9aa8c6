// What every emulated service receives: the state, the token-signing key and the public endpoints.
import type { SigningKey } from './tokens/signingKey';
import type { EmulatorState } from './state/store';

export interface Endpoints {
  /** https://127.0.0.1:port of the Entra sign-in service (also serves /_emulator admin routes). */
  login: string;
  graph: string;
  exchange: string;
  keyVault: string;
  /** App Service managed-identity endpoint (IDENTITY_ENDPOINT) and its secret header value (IDENTITY_HEADER). */
  managedIdentity: { endpoint: string; header: string };
  serviceBus: { host: string; port: number; connectionString: string };
  admin: string;
}

export interface EmulatorContext {
  state: EmulatorState;
  signingKey: SigningKey;
  endpoints: Endpoints;
}
