/**
 * Every app setting Tenure reads, in one place. Infrastructure (infra/) must provide each `production` setting;
 * the infra test reads this list, so adding a setting here without wiring it in Bicep fails CI.
 *
 * Local-only settings are the ones Microsoft's SDKs document for non-Azure hosts; they are never set in Azure.
 */
export interface SettingSpec {
  /** Environment variable (app setting) name. */
  readonly name: string;
  /** What it is for. */
  readonly purpose: string;
  /** True when a deployment in Azure must set it. */
  readonly production: boolean;
  /** Default used when the setting is absent (undefined: none). */
  readonly defaultValue?: string;
}

export const SETTINGS = [
  {
    name: 'TENURE_CLOUD',
    purpose: 'National cloud of this deployment: global, usgov, usgovdod or china.',
    production: true,
    defaultValue: 'global',
  },
  {
    name: 'TENURE_TABLE_ENDPOINT',
    purpose: 'Azure Tables endpoint holding connections, workers, reservations and timelines.',
    production: true,
  },
  {
    name: 'TENURE_KEY_VAULT_URL',
    purpose: 'Key Vault holding certificates, refresh tokens and initial credentials.',
    production: true,
  },
  {
    name: 'ServiceBusConnection__fullyQualifiedNamespace',
    purpose: 'Service Bus namespace (identity-based connection of the trigger and the sender).',
    production: true,
  },
  {
    name: 'ServiceBusConnection',
    purpose: 'Service Bus connection string; only for the local emulator (UseDevelopmentEmulator=true).',
    production: false,
  },
  {
    name: 'TENURE_HR_QUEUE',
    purpose: 'Session-enabled queue of worker snapshots.',
    production: true,
    defaultValue: 'hr-events',
  },
  {
    name: 'AZURE_CLIENT_ID',
    purpose: "Client id of the function app's user-assigned managed identity.",
    production: true,
  },
  {
    name: 'TENURE_PUBLIC_BASE_URL',
    purpose: 'Public https base URL of the function app, for OAuth redirect URIs.',
    production: true,
  },
  {
    name: 'TENURE_SP_CLIENT_ID',
    purpose: "Client id of the deployment's multi-tenant service-provider app (optional).",
    production: false,
  },
  {
    name: 'TENURE_SP_CERTIFICATE_NAME',
    purpose: 'Key Vault certificate of the service-provider app.',
    production: false,
    defaultValue: 'service-provider-app',
  },
  {
    name: 'TENURE_REQUIRE_ADMIN_ROLE',
    purpose: 'When App Service authentication is on: require the admin app role on callers.',
    production: true,
    defaultValue: 'false',
  },
  {
    name: 'TENURE_ADMIN_ROLE',
    purpose: 'App role an admin caller must hold.',
    production: false,
    defaultValue: 'Tenure.Admin',
  },
  {
    name: 'TENURE_HR_ROLE',
    purpose: 'App role an HR integration caller must hold.',
    production: false,
    defaultValue: 'Tenure.HR.Write',
  },
  {
    name: 'TENURE_FLOWS_DIR',
    purpose: 'Folder of flow definitions, relative to the app root.',
    production: false,
    defaultValue: 'flows',
  },
  {
    name: 'TENURE_CLOUD_ENDPOINTS',
    purpose: 'Local only: JSON {login,graph,exchange} replacing every cloud host (the emulator).',
    production: false,
  },
  {
    name: 'TENURE_DISABLE_INSTANCE_DISCOVERY',
    purpose: 'Local only: @azure/identity disableInstanceDiscovery for a non-Microsoft authority.',
    production: false,
    defaultValue: 'false',
  },
  {
    name: 'TENURE_DEMO_CONNECTIONS',
    purpose:
      'Local only: JSON [{id, tenantId, clientId, clientSecret}] of client-secret connections to the emulator demo tenant.',
    production: false,
  },
  {
    name: 'TENURE_KEY_VAULT_DISABLE_CHALLENGE_RESOURCE_VERIFICATION',
    purpose: 'Local only: Key Vault clients accept a challenge from a non-Azure host.',
    production: false,
    defaultValue: 'false',
  },
] as const satisfies readonly SettingSpec[];

export type SettingName = (typeof SETTINGS)[number]['name'];

/** Environment seam: the core reads settings through this, never through process.env directly. */
export type Env = Readonly<Record<string, string | undefined>>;

export class MissingSettingError extends Error {
  readonly code = 'TENURE_MISSING_SETTING';
  constructor(readonly setting: SettingName) {
    super(`App setting ${setting} is not set.`);
  }
}

const byName = new Map<string, SettingSpec>(SETTINGS.map((s) => [s.name, s]));

/** The value of a setting, its default, or undefined. */
export function readSetting(env: Env, name: SettingName): string | undefined {
  const raw = env[name];
  if (raw !== undefined && raw !== '') return raw;
  return byName.get(name)?.defaultValue;
}

/** The value of a setting or a MissingSettingError naming it. */
export function requireSetting(env: Env, name: SettingName): string {
  const value = readSetting(env, name);
  if (value === undefined) throw new MissingSettingError(name);
  return value;
}

export function readFlag(env: Env, name: SettingName): boolean {
  return readSetting(env, name)?.toLowerCase() === 'true';
}
