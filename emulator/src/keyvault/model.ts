// The vault's objects. Secrets, keys and certificates each live in their own namespace; a certificate owns a
// managed key and a managed secret of the same name and version. Times are epoch milliseconds (emulator clock).
import type { KeyObject } from 'node:crypto';

export interface Attributes {
  enabled: boolean;
  notBefore?: number;
  expires?: number;
  created: number;
  updated: number;
}

export interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  attributes: Attributes;
  /** For a certificate's secret: the id of its key. */
  kid?: string;
  managed?: boolean;
}

export interface KeyVersion {
  version: string;
  kty: 'RSA' | 'RSA-HSM' | 'EC' | 'EC-HSM';
  keyOps: string[];
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Whether the private part may ever leave the vault (release). */
  exportable: boolean;
  releasePolicy?: unknown;
  tags?: Record<string, string>;
  attributes: Attributes;
  managed?: boolean;
}

/** The certificate policy in Key Vault's wire shape (snake_case), with defaults filled in. */
export interface CertificatePolicy {
  key_props: { exportable: boolean; kty: string; key_size?: number; reuse_key: boolean; crv?: string };
  secret_props: { contentType: string };
  x509_props: {
    subject: string;
    sans?: {
      emails?: string[];
      dns_names?: string[];
      upns?: string[];
      uris?: string[];
      ipAddresses?: string[];
    };
    ekus?: string[];
    key_usage?: string[];
    validity_months: number;
    basic_constraints?: { ca: boolean };
  };
  lifetime_actions: {
    trigger: { lifetime_percentage?: number; days_before_expiry?: number };
    action: { action_type: string };
  }[];
  issuer: { name: string; cty?: string; cert_transparency?: boolean };
  attributes: { enabled: boolean; created: number; updated: number };
}

export interface CertificateVersion {
  version: string;
  der: Buffer;
  tags?: Record<string, string>;
  attributes: Attributes;
  /** Set once a lifetime action has produced the next version from this one. */
  renewedBy?: string;
}

export interface PendingOperation {
  requestId: string;
  status: 'inProgress' | 'completed' | 'failed' | 'cancelled';
  statusDetails?: string;
  csr: Buffer;
  cancellationRequested: boolean;
  /** When an in-progress self-signed request completes (emulator clock). */
  completesAt: number;
  /** The version that completion publishes (certificate + key + secret). */
  pendingVersion?: string;
  error?: { code: string; message: string };
}

export interface CertificateEntry {
  name: string;
  policy: CertificatePolicy;
  versions: CertificateVersion[];
  pending?: PendingOperation;
  /** Prepared by a create request, published when the pending operation completes. */
  staged?: { cert: CertificateVersion; key: KeyVersion; secret: SecretVersion };
  tags?: Record<string, string>;
}

export interface SecretEntry {
  name: string;
  versions: SecretVersion[];
}

export interface KeyEntry {
  name: string;
  versions: KeyVersion[];
}

export interface Deleted<T> {
  entry: T;
  deletedDate: number;
  scheduledPurgeDate: number;
}
