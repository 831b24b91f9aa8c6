// Azure Tables repositories of the engine, built from one table source.
import type { TableSource } from './tables';
import { TableHeldPlanRepository } from './heldPlans';
import { TablePendingManagerRepository } from './pendingManagers';
import { TableReservationRepository } from './reservations';
import { TableTimelineRepository } from './timeline';
import { TableWorkerRepository } from './workers';

export function createRepositories(tables: TableSource) {
  return {
    workers: new TableWorkerRepository(tables),
    timeline: new TableTimelineRepository(tables),
    reservations: new TableReservationRepository(tables),
    pending: new TablePendingManagerRepository(tables),
    held: new TableHeldPlanRepository(tables),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
export type { TableSource } from './tables';
export {
  TableHeldPlanRepository,
  TablePendingManagerRepository,
  TableReservationRepository,
  TableTimelineRepository,
  TableWorkerRepository,
};
