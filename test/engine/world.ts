// A complete engine over in-memory fakes (one flow "hr", a fake directory with groups and a licence), with helpers
// to send snapshots and deliver messages through the real message handler.
import { handleWorkerMessage } from '../../shared/engine/handler';
import type { EngineDeps } from '../../shared/engine/reconcile';
import { StaticFlowCatalog } from '../../shared/engine/flowCatalog';
import type { WorkerMessage } from '../../shared/messaging/message';
import { FakeDirectory, MemorySender, memoryStores, silent, TestClock } from './fakes';
import { record, testFlow } from './testFlow';

export const DAY = 86_400_000;
export { silent };

export function world(now = '2026-03-10T12:00:00Z') {
  const clock = new TestClock(new Date(now));
  const directory = new FakeDirectory(clock)
    .addGroup('g-all', 'All Staff')
    .addGroup('g-sales', 'Sales')
    .addGroup('g-mkt', 'Marketing')
    .addGroup('g-other', 'Unmanaged')
    .addSku('sku-e3', 'SPE_E3', 10);
  const deps = {
    flows: new StaticFlowCatalog([testFlow()]),
    directoryFor: async () => directory,
    ...memoryStores(),
    sender: new MemorySender(),
    clock,
  } satisfies EngineDeps;
  let run = 0;
  let version = 0;
  const send = (over: Record<string, string> = {}, v?: string) => {
    const rec = record(over);
    const message: WorkerMessage = {
      kind: 'snapshot',
      flow: 'hr',
      employeeId: rec.Id,
      version: v ?? String(++version),
      record: rec,
      sentAt: clock.now().toISOString(),
    };
    return handleWorkerMessage(deps, message, `run-${++run}`, silent);
  };
  const deliver = (message: WorkerMessage) => handleWorkerMessage(deps, message, `run-${++run}`, silent);
  return { deps, directory, clock, send, deliver };
}
