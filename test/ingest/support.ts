// Shared pieces of the ingestion tests: the flows, a fake sender recording what it is given, and a call helper.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../../devhost/loadApp';
import { loadFlow, parseFlow, type Flow } from '../../shared/flows';
import { ingest, type IngestDeps, type IngestLimits, type ManagedWorker } from '../../shared/ingest';
import type { IngestAnswer } from '../../shared/ingest';
import type { WorkerMessage } from '../../shared/messaging/message';
import type { WorkerMessageSender } from '../../shared/messaging/sender';

export const NOW = new Date('2026-03-10T12:00:00Z');
export const FIXTURES = join(APP_ROOT, 'test', 'ingest', 'fixtures');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export const csvSampleFlow: Flow = loadFlow(join(APP_ROOT, 'flows', 'csv-sample.yaml'));
export const workdayFlow: Flow = loadFlow(join(APP_ROOT, 'flows', 'workday.yaml'));
export const scimFlow: Flow = parseFlow(fixture('scim-test.yaml'), 'scim-test.yaml');

/** scim-test with required names: a SCIM update carrying only some attributes needs the stored record. */
export const scimStrictFlow: Flow = parseFlow(
  fixture('scim-test.yaml')
    .replace('name: scim-test', 'name: scim-strict')
    .replace('givenName: string', 'givenName: { type: string, required: true }')
    .replace('familyName: string', 'familyName: { type: string, required: true }'),
  'scim-strict.yaml',
);

/** csv-sample with `fullExtract.missingWorkers: terminate`. */
export const csvTerminateFlow: Flow = parseFlow(
  readFileSync(join(APP_ROOT, 'flows', 'csv-sample.yaml'), 'utf8')
    .replace('missingWorkers: report', 'missingWorkers: terminate')
    .replace('name: csv-sample', 'name: csv-terminate'),
  'csv-terminate.yaml',
);

export class FakeSender implements WorkerMessageSender {
  readonly sent: WorkerMessage[] = [];
  readonly scheduled: { message: WorkerMessage; at: Date }[] = [];
  /** Employee ids whose send fails. */
  failFor = new Set<string>();
  async send(message: WorkerMessage): Promise<void> {
    await Promise.resolve();
    if (this.failFor.has(message.employeeId))
      throw Object.assign(new Error('down'), { code: 'TENURE_MESSAGING_UNAVAILABLE' });
    this.sent.push(message);
  }
  async schedule(message: WorkerMessage, at: Date): Promise<string> {
    await Promise.resolve();
    this.scheduled.push({ message, at });
    return String(this.scheduled.length);
  }
}

export interface Harness {
  sender: FakeSender;
  managed: ManagedWorker[];
  /** Stored snapshots by `flow:employeeId`; the value 'down' makes the store fail. */
  stored: Map<string, Record<string, unknown> | 'down'>;
  /** The request clock (receivedAt); tests move it. */
  clock: { now: Date };
  deps: IngestDeps;
}

export function harness(limits: Partial<IngestLimits> = {}): Harness {
  const sender = new FakeSender();
  const managed: ManagedWorker[] = [];
  const stored = new Map<string, Record<string, unknown> | 'down'>();
  const clock = { now: NOW };
  const flows = new Map(
    [csvSampleFlow, workdayFlow, scimFlow, scimStrictFlow, csvTerminateFlow].map((f) => [f.name, f]),
  );
  return {
    sender,
    managed,
    stored,
    clock,
    deps: {
      flows: (name) => flows.get(name) ?? null,
      sender: () => sender,
      managedWorkers: () => ({ list: async (flow) => (flow ? managed : []) }),
      storedSnapshots: async (flow, employeeId) => {
        const hit = stored.get(`${flow}:${employeeId}`);
        if (hit === 'down') throw new Error('store down');
        return hit;
      },
      now: () => clock.now,
      limits,
    },
  };
}

export interface Posted {
  status: number;
  body: IngestAnswer & {
    error?: { code: string; message: string; details: Record<string, unknown> };
  } & Record<string, unknown>;
  headers?: Readonly<Record<string, string>>;
}

export async function post(
  h: Harness,
  flow: string,
  contentType: string | null,
  body: string | Uint8Array,
  query: Record<string, string> = {},
): Promise<Posted> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const params = new URLSearchParams(query);
  const result = await ingest(h.deps, {
    flow,
    contentType,
    readBody: async () => bytes,
    query: params,
  });
  return result as Posted;
}

/** Microsoft's CSV sample header (csv-with-2-records.csv) and a row builder. */
export const CSV_HEADER =
  'WorkerID,WorkerStatus,WorkerType,UserID,FirstName,LastName,FullName,GenderPronoun,ManagerID,HireDate,OnLeave,Department,Division,CostCenter,Company,Location,JobTitle,StreetAddress,City,CountryCode,OfficePhone,Custom01,Custom02,ZipCode';

export function csvRow(over: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    WorkerID: '1222',
    WorkerStatus: 'Active',
    WorkerType: 'Contractor',
    UserID: 'EMP1222',
    FirstName: 'Talya',
    LastName: 'Fleeta',
    FullName: 'Talya Fleeta',
    GenderPronoun: 'HE/HIM',
    ManagerID: '1684',
    HireDate: '2013-01-01',
    OnLeave: 'False',
    Department: 'Sales',
    Division: 'Electronics',
    CostCenter: 'CC3035',
    Company: 'Woodgrove',
    Location: 'Europe',
    JobTitle: 'Sales Executive',
    StreetAddress: '303 Mansion Ct',
    City: 'Chicago',
    CountryCode: 'UK',
    OfficePhone: '259-915-1098',
    Custom01: 'T1001',
    Custom02: 'BTK39',
    ZipCode: '85434',
    ...over,
  };
  return CSV_HEADER.split(',')
    .map((k) => base[k] ?? '')
    .join(',');
}
