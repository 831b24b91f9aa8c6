// Timer: every six hours, refresh delegated tokens (rotating the stored refresh token), mark connections whose
// refresh fails for good as relink-required, and offer renewed certificates.
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { maintainConnections } from '../shared/connections/maintenance';
import { serviceProviderDeps } from './serviceProviderDeps';

export async function refreshConnections(_timer: Timer, context: InvocationContext): Promise<void> {
  const s = await maintainConnections(serviceProviderDeps());
  context.log(
    `connections: ${s.refreshed.length} refreshed, ${s.relinkRequired.length} need relinking, ` +
      `${s.renewalOffered.length} renewed certificates offered, ${s.failed.length} failed` +
      (s.failed.length ? ` (${s.failed.map((f) => `${f.id}:${f.code}`).join(', ')})` : ''),
  );
  const sp = s.serviceProviderCertificate;
  if (sp?.newer)
    context.warn(
      `service-provider certificate renewed: upload version ${sp.newer.version} to the app registration before ` +
        `${sp.expiresOn?.toISOString() ?? 'the current one expires'} (Tenure switches to it 7 days before that)`,
    );
}

app.timer('refreshConnections', {
  schedule: '0 0 */6 * * *',
  runOnStartup: false,
  handler: refreshConnections,
});
