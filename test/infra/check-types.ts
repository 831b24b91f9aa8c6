/**
 * Finding codes and the contract the infra checks compare infra/ against.
 */

export type FindingCode =
  | 'INFRA_PARSE'
  | 'INFRA_COMPILE'
  | 'INFRA_LIST_KEYS'
  | 'INFRA_CONNECTION_STRING'
  | 'INFRA_SETTING_MISSING'
  | 'INFRA_SETTING_CONDITIONAL'
  | 'INFRA_SETTING_VALUE'
  | 'INFRA_SETTING_FORBIDDEN'
  | 'INFRA_SETTING_UNKNOWN'
  | 'INFRA_ROLE_MISSING'
  | 'INFRA_ROLE_SCOPE'
  | 'INFRA_ROLE_UNEXPECTED'
  | 'INFRA_ROLE_CONDITION'
  | 'INFRA_ROLE_NAME'
  | 'INFRA_ROLE_PRINCIPAL'
  | 'INFRA_QUEUE_MISSING'
  | 'INFRA_QUEUE_PROPERTY'
  | 'INFRA_TABLE_MISSING'
  | 'INFRA_STORAGE'
  | 'INFRA_LOCAL_AUTH'
  | 'INFRA_KEY_VAULT'
  | 'INFRA_FUNCTION_APP'
  | 'INFRA_AUTH'
  | 'INFRA_CLOUD'
  | 'INFRA_AZD';

export interface Finding {
  readonly code: FindingCode;
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export interface SettingContract {
  readonly name: string;
  readonly purpose: string;
  readonly production: boolean;
}

export interface QueueContract {
  readonly name: string;
  readonly requiresSession: boolean;
  readonly maxDeliveryCount: number;
  readonly lockDuration: string;
  readonly duplicateDetectionWindow: string;
  readonly deadLetteringOnMessageExpiration: boolean;
}

export interface RoleContract {
  /** Built-in role name, for messages. */
  readonly role: string;
  /** Built-in role definition GUID. */
  readonly id: string;
  /** Resource type the assignment must be scoped to. */
  readonly scopeType: string;
}

export interface InfraContract {
  readonly settings: readonly SettingContract[];
  readonly queues: readonly QueueContract[];
  readonly tables: readonly { readonly name: string }[];
  /** Roles the function app's identity must hold, unconditionally, and no others. */
  readonly identityRoles: readonly RoleContract[];
  /** Roles the deployer may receive (only conditionally). */
  readonly deployerRoles: readonly RoleContract[];
  /** Names of the rbac module parameters carrying each principal. */
  readonly identityPrincipalParam: string;
  readonly deployerPrincipalParam: string;
  /** National clouds TENURE_CLOUD accepts. */
  readonly clouds: readonly string[];
  /** Settings the Functions runtime itself needs, beyond SETTINGS. */
  readonly runtimeSettings: readonly { readonly name: string; readonly value?: string | RegExp }[];
  /** Settings that must never be set in Azure (besides SETTINGS marked local only). */
  readonly forbiddenSettings: readonly string[];
  /** Paths App Service authentication may let through anonymously. */
  readonly anonymousPaths: readonly string[];
}

/** How a check reports a finding. */
export type Add = (code: FindingCode, file: string, message: string, line?: number) => void;
