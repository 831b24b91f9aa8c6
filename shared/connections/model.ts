/**
 * A connection: how Tenure gets the right to change one customer tenant. The record holds no secret: private keys
 * stay in Key Vault (non-exportable certificates) and refresh tokens are Key Vault secrets named from the id.
 */
import type { CloudName } from '../clouds/endpoints';

export type ConnectionKind = 'customer-app' | 'service-provider';
export const ADD_ONS = ['exchange', 'sharepoint'] as const;
export type AddOn = (typeof ADD_ONS)[number];

export type ConnectionStatus =
  /** Customer-owned: the certificate exists; the admin must upload it and link. */
  | 'awaiting-certificate-upload'
  /** Service-provider: the admin must sign in and consent (Link Account). */
  | 'awaiting-consent'
  | 'linked'
  /** Linked, but something required is missing (diagnostics say what). */
  | 'incomplete'
  /** A refresh failed for good (revoked, expired, consent withdrawn): the admin must link again. */
  | 'relink-required'
  /** A renewed certificate waits to be uploaded; the old one still works until it expires. */
  | 'certificate-renewal-required';

export interface MissingItem {
  /** Stable id, e.g. "permission:graph:User.ReadWrite.All" or "role:User Administrator". */
  id: string;
  kind: 'application-permission' | 'delegated-permission' | 'directory-role' | 'certificate' | 'consent';
  name: string;
  /** Admin-readable steps to fix it in the portal of the connection's cloud. */
  fix: string;
}

export interface ConnectionDiagnostics {
  checkedAt?: string;
  /** Service-provider: when the timer last redeemed the refresh token successfully. */
  lastRefreshedAt?: string;
  missing: MissingItem[];
  /** Entra error code and description of the last failure (never a token or secret). */
  lastError?: { code: string; description: string; at: string };
  /** Granted roles/scopes seen in the last token, for the admin page. */
  granted?: string[];
}

export interface Connection {
  id: string;
  displayName: string;
  kind: ConnectionKind;
  cloud: CloudName;
  tenantId: string;
  /** Customer-owned: the customer's app; service-provider: the deployment's app. */
  clientId: string;
  addOns: AddOn[];
  status: ConnectionStatus;
  diagnostics: ConnectionDiagnostics;
  /** Key Vault certificate name (customer-owned). */
  certificateName?: string;
  /** Certificate version the admin is expected to have uploaded (the one assertions are signed with). */
  activeCertificateVersion?: string;
  /** A renewed version offered for download while the active one still works. */
  pendingCertificateVersion?: string;
  certificateExpiresOn?: string;
  /** Key Vault secret holding the refresh token (service-provider). */
  refreshTokenSecretName?: string;
  consentedBy?: string;
  consentedAt?: string;
  createdAt: string;
  updatedAt: string;
  /** Optimistic concurrency (Tables etag); absent for a record not yet stored. */
  etag?: string;
}

/** Key Vault object names derived from the connection id (1-127 chars, letters, digits and dashes). */
export const certificateNameFor = (id: string): string => `conn-${id}`;
export const refreshTokenSecretNameFor = (id: string): string => `conn-${id}-refresh-token`;
