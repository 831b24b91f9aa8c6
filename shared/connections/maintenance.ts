/**
 * The connections timer: keeps delegated refresh tokens alive (each refresh rotates and stores the token), marks
 * connections whose refresh fails for good as relink-required, and offers renewed certificates for download while
 * the old one still works.
 */
import type { CertificateClient } from '@azure/keyvault-certificates';
import { scopeOf, cloudEndpoints } from '../clouds/endpoints';
import { readSetting } from '../config/settings';
import { chooseSigningVersion, type SigningChoice } from './certificates';
import { ConnectionError } from './errors';
import type { Connection, MissingItem } from './model';
import { updateConnection } from './repository';
import { describeTokenError } from './verify';
import { serviceProviderCredential, type ServiceProviderDeps } from './serviceProvider';

export interface MaintenanceSummary {
  refreshed: string[];
  relinkRequired: string[];
  renewalOffered: string[];
  failed: { id: string; code: string }[];
  /** The service-provider app's certificate: set when a renewed version must be uploaded to the app registration. */
  serviceProviderCertificate?: SigningChoice;
  /** OAuth states of sign-ins never finished, deleted once expired. */
  expiredStatesPurged?: number;
}

/** The newest enabled certificate version that is neither active nor already offered. */
async function newerCertificateVersion(
  certs: CertificateClient,
  connection: Connection,
): Promise<{ version: string; expiresOn?: Date } | undefined> {
  let newest: { version: string; createdOn: number; expiresOn?: Date } | undefined;
  for await (const p of certs.listPropertiesOfCertificateVersions(connection.certificateName!)) {
    if (!p.version || p.enabled === false) continue;
    const createdOn = p.createdOn?.getTime() ?? 0;
    if (!newest || createdOn > newest.createdOn)
      newest = { version: p.version, createdOn, expiresOn: p.expiresOn };
  }
  if (
    !newest ||
    newest.version === connection.activeCertificateVersion ||
    newest.version === connection.pendingCertificateVersion
  )
    return undefined;
  return newest;
}

export async function maintainConnections(deps: ServiceProviderDeps): Promise<MaintenanceSummary> {
  const summary: MaintenanceSummary = { refreshed: [], relinkRequired: [], renewalOffered: [], failed: [] };
  const spCertificate = readSetting(deps.env, 'TENURE_SP_CLIENT_ID')
    ? readSetting(deps.env, 'TENURE_SP_CERTIFICATE_NAME')
    : undefined;
  if (spCertificate) {
    const choice = await chooseSigningVersion(deps.certificates(), spCertificate, deps.now()).catch(
      () => undefined,
    );
    if (choice?.newer) summary.serviceProviderCertificate = choice;
  }
  for (const connection of await deps.repo.list()) {
    try {
      if (connection.kind === 'service-provider') {
        if (connection.status !== 'linked' && connection.status !== 'incomplete') continue;
        // A real redemption (not a cached token): it keeps the grant active and rotates the stored refresh token.
        await serviceProviderCredential(deps, connection).redeem([
          scopeOf(cloudEndpoints(connection.cloud, deps.env).graphResource),
        ]);
        const at = deps.now().toISOString();
        await updateConnection(deps.repo, connection.id, (current) =>
          current.status === 'relink-required'
            ? undefined
            : { ...current, diagnostics: { ...current.diagnostics, lastRefreshedAt: at } },
        );
        summary.refreshed.push(connection.id);
      } else if (connection.certificateName) {
        const newer = await newerCertificateVersion(deps.certificates(), connection);
        if (!newer) continue;
        const now = deps.now().toISOString();
        await updateConnection(deps.repo, connection.id, (current) => {
          if (current.activeCertificateVersion === newer.version) return undefined;
          if (current.status === 'awaiting-certificate-upload') {
            // No working certificate is uploaded: simply offer the newest one.
            return {
              ...current,
              activeCertificateVersion: newer.version,
              certificateExpiresOn: newer.expiresOn?.toISOString() ?? current.certificateExpiresOn,
              updatedAt: now,
            };
          }
          return {
            ...current,
            pendingCertificateVersion: newer.version,
            status: 'certificate-renewal-required',
            diagnostics: {
              ...current.diagnostics,
              missing: [
                ...current.diagnostics.missing.filter((m) => m.id !== 'certificate-renewal'),
                renewalItem(current, newer.expiresOn),
              ],
            },
            updatedAt: now,
          };
        });
        summary.renewalOffered.push(connection.id);
      }
    } catch (error) {
      if (error instanceof ConnectionError && error.code === 'TENURE_CONNECTION_RELINK_REQUIRED')
        summary.relinkRequired.push(connection.id);
      else
        summary.failed.push({
          id: connection.id,
          code: error instanceof ConnectionError ? error.code : describeTokenError(error).code,
        });
    }
  }
  summary.expiredStatesPurged = await deps.states.purgeExpired?.(deps.now()).catch(() => 0);
  return summary;
}

/** The diagnostics item that tells the admin to upload a renewed certificate. */
export function renewalItem(connection: Connection, renewedExpiresOn?: Date | string): MissingItem {
  const until = renewedExpiresOn ? new Date(renewedExpiresOn).toISOString() : 'unknown';
  return {
    id: 'certificate-renewal',
    kind: 'certificate',
    name: `A renewed certificate is ready (valid until ${until})`,
    fix:
      `Download it (GET /api/connections/${connection.id}/certificate), upload it to the app registration next to ` +
      `the current one before ${connection.certificateExpiresOn ?? 'the current one expires'}, then link again.`,
  };
}
