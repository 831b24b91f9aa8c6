// Reservations table: naming values taken by a worker, written insert-if-absent (409 = someone else has it), so
// two hires processed at the same moment in different sessions never get the same address.
import type { NamingAttribute } from '../engine/ports';
import type { ReservationRepository } from '../engine/repositories';
import { guarded, key, statusOf, storageError, type TableSource } from './tables';

const TABLE = 'Reservations';

export class TableReservationRepository implements ReservationRepository {
  constructor(
    private readonly tables: TableSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async reserve(
    attribute: NamingAttribute,
    value: string,
    flow: string,
    employeeId: string,
  ): Promise<boolean> {
    const table = await guarded(TABLE, () => this.tables(TABLE));
    const pk = key(attribute);
    const rk = key(value.toLowerCase());
    try {
      await table.createEntity({
        partitionKey: pk,
        rowKey: rk,
        flow,
        employeeId,
        reservedAt: this.now().toISOString(),
      });
      return true;
    } catch (err) {
      if (statusOf(err) !== 409) return guarded(TABLE, () => Promise.reject(err));
    }
    const holder = await guarded(TABLE, () =>
      table.getEntity<{ flow?: string; employeeId?: string }>(pk, rk),
    );
    return holder.flow === flow && holder.employeeId === employeeId;
  }

  async release(attribute: NamingAttribute, value: string, flow: string, employeeId: string): Promise<void> {
    const table = await guarded(TABLE, () => this.tables(TABLE));
    const pk = key(attribute);
    const rk = key(value.toLowerCase());
    try {
      const holder = await table.getEntity<{ flow?: string; employeeId?: string; etag: string }>(pk, rk);
      if (holder.flow !== flow || holder.employeeId !== employeeId) return;
      await table.deleteEntity(pk, rk, { etag: holder.etag });
    } catch (err) {
      const status = statusOf(err);
      if (status === 404 || status === 412) return;
      throw storageError(err, TABLE);
    }
  }
}
