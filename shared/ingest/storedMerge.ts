/**
 * SCIM operations update a worker the way Entra's API-driven provisioning does: attributes the operation does not
 * carry keep their value (Microsoft's "update an existing user" example sends only externalId, active and
 * department). Tenure's messages are whole snapshots, so an operation is merged over the worker's last stored HR
 * record (the engine's Workers table) before validation; an attribute sent as null clears its field. A worker
 * Tenure has no record of is taken as the operation says.
 */
import type { Flow } from '../flows';
import { IngestError } from './errors';
import type { IncomingRecord } from './incoming';

/** The last raw HR record stored for a worker, or undefined. */
export type StoredSnapshots = (
  flow: string,
  employeeId: string,
) => Promise<Readonly<Record<string, unknown>> | undefined>;

export async function mergeWithStored(
  flow: Flow,
  items: readonly IncomingRecord[],
  stored: StoredSnapshots,
): Promise<IncomingRecord[]> {
  const fields = new Set(flow.hr.fields.map((f) => f.name));
  return Promise.all(
    items.map(async (item) => {
      if (!item.raw || !item.envelopeId) return item;
      let base: Readonly<Record<string, unknown>> | undefined;
      try {
        base = await stored(flow.name, item.envelopeId.value);
      } catch {
        throw new IngestError(
          'TENURE_INGEST_STORE_UNAVAILABLE',
          'The worker store cannot be read, so SCIM updates cannot be merged with the stored records; nothing was sent. Try again.',
        );
      }
      if (!base) return item;
      const kept = Object.fromEntries(Object.entries(base).filter(([k]) => fields.has(k)));
      return { ...item, raw: { ...kept, ...item.raw }, merged: true };
    }),
  );
}
