/**
 * The Azure resources Tenure's code uses by name: tables and queues. infra/ must create each one, and the emulator
 * seed must declare each queue; tests check both against this list.
 */
export interface QueueSpec {
  readonly name: string;
  readonly purpose: string;
  readonly requiresSession: boolean;
  readonly maxDeliveryCount: number;
  /** ISO 8601 duration. */
  readonly lockDuration: string;
  /** ISO 8601 duration; duplicate detection by messageId within this window. */
  readonly duplicateDetectionWindow: string;
  readonly deadLetteringOnMessageExpiration: boolean;
}

export const QUEUES = [
  {
    name: 'hr-events',
    purpose: 'Worker snapshots; session id = flow + employee id, so one worker is reconciled in order.',
    requiresSession: true,
    maxDeliveryCount: 10,
    lockDuration: 'PT1M',
    duplicateDetectionWindow: 'PT10M',
    deadLetteringOnMessageExpiration: true,
  },
] as const satisfies readonly QueueSpec[];

export const TABLES = [
  { name: 'Connections', purpose: 'Connection records (no secrets: those live in Key Vault).' },
  { name: 'OAuthStates', purpose: 'Single-use OAuth state and PKCE verifiers, 10-minute lifetime.' },
  { name: 'Workers', purpose: 'Per worker: last applied version, Entra object id, status.' },
  { name: 'Timeline', purpose: 'Per worker: every event, plan, operation result, before and after values.' },
  {
    name: 'Reservations',
    purpose: 'Insert-if-absent reservations of userPrincipalName, mailNickname and mail.',
  },
  { name: 'PendingManagers', purpose: 'Reports waiting for their manager to be created.' },
  {
    name: 'HeldPlans',
    purpose: 'Plans held by the mass-change guard until an admin resumes or discards them.',
  },
] as const;

export type TableName = (typeof TABLES)[number]['name'];
