// `npm run demo`: with `npm start` running, connects the emulated demo tenant (customer-owned app: create the
// connection, upload its certificate to the app registration, link), makes sure the groups the flow grants exist,
// posts devhost/demo-extract.csv for flows/csv-sample.yaml through POST /api/flows/{flow}/events, waits for the
// engine, and prints what changed in the directory. Every step says what it does; a failing step says why and stops.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isGuidRef,
  loadFlow,
  managedEntitlements,
  namingCandidates,
  parseHrRecord,
  resolveStage,
  type Flow,
} from '../shared/flows';
import { parseCsv } from '../shared/ingest';
import { DemoClient, reason, type Reply } from './demoClient';
import { describeChanges, readDirectory, userByEmployeeId, type DirectoryView } from './demoDirectory';
import { APP_ROOT } from './loadApp';
import type { EmulatorReadyLine } from './localStack';

const FLOW = 'csv-sample';
const EXTRACT = join(APP_ROOT, 'devhost', 'demo-extract.csv');
const READY_FILE = join(APP_ROOT, '.tenure', 'devhost.json');
const CONNECTION_NAME = 'demo';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

class StepFailed extends Error {}

interface Running {
  url: string;
  functionKey: string;
  emulator: EmulatorReadyLine;
}

const out = (line = ''): void => void process.stdout.write(line + '\n');

async function step<T>(title: string, run: () => Promise<T>): Promise<T> {
  out(`→ ${title}`);
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new StepFailed(`✗ ${title}\n  ${message}`);
  }
}

function fail(message: string): never {
  throw new Error(message);
}

/** Where the running app is: .tenure/devhost.json (written by `npm start`), or TENURE_URL / TENURE_FUNCTION_KEY. */
function findRunningApp(): Running {
  if (!existsSync(READY_FILE))
    fail(
      `${READY_FILE} does not exist. Start Tenure first, in another terminal: npm start  (it writes that file when ready).`,
    );
  const info = JSON.parse(readFileSync(READY_FILE, 'utf8')) as Partial<Running> & { pid?: number };
  if (info.pid) {
    try {
      process.kill(info.pid, 0);
    } catch {
      fail(`${READY_FILE} is left over from a stopped \`npm start\` (pid ${info.pid}). Start Tenure again.`);
    }
  }
  const url = process.env.TENURE_URL ?? info.url;
  const functionKey = process.env.TENURE_FUNCTION_KEY ?? info.functionKey;
  if (!url || !functionKey)
    fail('the function app URL or key is unknown (set TENURE_URL and TENURE_FUNCTION_KEY).');
  if (!info.emulator)
    fail(
      '`npm start` runs against Azure settings (--settings), not the emulator: the demo needs the emulated tenant.',
    );
  if (!info.emulator.demo) fail('the emulator seed has no "demo" tenant.');
  return { url, functionKey, emulator: info.emulator };
}

function expectStatus(reply: Reply, ok: number[], what: string): void {
  if (!ok.includes(reply.status)) fail(`${what}: ${reason(reply)}`);
}

async function main(): Promise<void> {
  const running = await step('Find the running Tenure (npm start)', async () => findRunningApp());
  const { url, functionKey, emulator } = running;
  const demo = emulator.demo!;
  const http = new DemoClient(emulator.caPath);
  const api = (path: string) => `${url}/api${path}`;
  const key = { 'x-functions-key': functionKey };
  const admin = emulator.admin;
  out(`  function app ${url}, emulator admin ${admin}, demo tenant ${demo.tenantId}`);

  await step('Check the function app answers', async () => {
    const r = await http.call('GET', api('/health'));
    if (r.status >= 500)
      out(`  health is ${String((r.json as { status?: string })?.status ?? r.status)}; continuing`);
  });

  const flow = await step(`Load flows/${FLOW}.yaml and check it fits the demo tenant`, async () => {
    const f = loadFlow(join(APP_ROOT, 'flows', `${FLOW}.yaml`));
    const tenant = await http.call('GET', `${admin}/tenants/${demo.tenantId}`);
    expectStatus(tenant, [200], 'reading the demo tenant');
    warnAboutDomains(f, tenant.json);
    if (f.connection !== CONNECTION_NAME)
      out(
        `  note: the flow writes through connection "${f.connection}"; the demo connection is named "${CONNECTION_NAME}".`,
      );
    return f;
  });

  const connection = await step(
    'Create (or reuse) the customer-owned connection for the demo tenant',
    async () => {
      const list = await http.call('GET', api('/connections'), { headers: key });
      expectStatus(list, [200], 'listing connections');
      const existing = (
        (list.json as { value?: { id: string; displayName: string; tenantId: string }[] }).value ?? []
      ).find((c) => c.id === flow.connection);
      if (existing) {
        out(`  reusing connection ${existing.id}`);
        return existing;
      }
      const created = await http.call('POST', api('/connections'), {
        headers: key,
        json: {
          // The flow names its connection by id; the demo creates it under that id.
          id: flow.connection,
          kind: 'customer-app',
          tenantId: demo.tenantId,
          clientId: demo.clientId,
          displayName: CONNECTION_NAME,
        },
      });
      expectStatus(created, [201], 'POST /api/connections');
      const c = created.json as { id: string; displayName: string; tenantId: string };
      out(`  connection ${c.id} created`);
      return c;
    },
  );

  await step("Download the connection's certificate and upload it to the demo app registration", async () => {
    const cert = await http.call('GET', api(`/connections/${connection.id}/certificate?format=pem`), {
      headers: key,
    });
    expectStatus(cert, [200], 'GET /api/connections/{id}/certificate');
    const upload = await http.call(
      'POST',
      `${admin}/tenants/${demo.tenantId}/applications/${demo.clientId}/certificates`,
      {
        json: { pem: cert.text, displayName: `Tenure connection ${connection.id}` },
      },
    );
    if (upload.status === 409) out('  already uploaded');
    else expectStatus(upload, [201], 'uploading the certificate to the emulated app registration');
    out(`  thumbprint ${cert.headers['x-certificate-thumbprint'] ?? '?'}`);
  });

  await step('Link the connection (Tenure checks what the app may do in the tenant)', async () => {
    const r = await http.call('POST', api(`/connections/${connection.id}/link`), { headers: key });
    expectStatus(r, [200], 'POST /api/connections/{id}/link');
    const body = r.json as { status: string; missing?: { id: string; reason?: string }[] };
    if (body.status !== 'linked')
      fail(
        `link status ${body.status}; missing: ${(body.missing ?? []).map((m) => m.id).join(', ') || 'nothing listed'}`,
      );
    out('  linked');
  });

  await step(
    'Make sure the groups the flow grants exist in the demo tenant (Graph, as the demo app)',
    async () => {
      await ensureGroups(http, emulator, flow);
    },
  );

  const before = readDirectory((await http.call('GET', `${admin}/tenants/${demo.tenantId}`)).json);

  const answer = await step(`Post devhost/demo-extract.csv to POST /api/flows/${FLOW}/events`, async () => {
    const r = await http.call('POST', api(`/flows/${FLOW}/events`), {
      headers: { ...key, 'content-type': 'text/csv' },
      body: readFileSync(EXTRACT),
    });
    expectStatus(r, [200, 503], `POST /api/flows/${FLOW}/events`);
    return r.json as {
      message: string;
      summary: { failed: number };
      records: {
        row: number;
        status: string;
        employeeId?: string;
        trackingId?: string;
        errors?: { field: string; reason: string }[];
      }[];
    };
  });
  out(`  ${answer.message}`);
  for (const rec of answer.records)
    out(
      `    row ${rec.row}  ${rec.status.padEnd(8)} ${rec.employeeId ?? ''}  ${rec.trackingId ?? (rec.errors ?? []).map((e) => `${e.field}: ${e.reason}`).join('; ')}`,
    );

  if (answer.summary.failed > 0)
    throw new StepFailed(
      `✗ Post the extract\n  ${answer.summary.failed} record(s) could not be put on the hr-events queue: is Service Bus ` +
        'running? (the npm start banner shows its connection string; an empty one means this emulator has no Service Bus)',
    );
  const expected = expectedUsers(flow, answer.records);
  const after = await step(`Wait for the engine to create ${expected.length} user(s)`, () =>
    waitForEngine(http, running, expected, before),
  );

  out('');
  out('What changed in the directory:');
  const changes = describeChanges(before, after);
  out(changes.length ? changes.join('\n') : '  nothing');
  out('');
  out('Where to look:');
  out(`  Tenant state (users, groups, managers)  GET ${admin}/tenants/${demo.tenantId}`);
  out(`  Graph requests Tenure made              GET ${admin}/requests?service=graph`);
  out(`  Graph (as the demo app)                 ${emulator.graph}/v1.0/users`);
  out(`  Per-worker records (engine)             GET ${url}/api/flows/${FLOW}/workers/{employeeId}`);
  out(`  Function logs                           the terminal running npm start`);
}

/** Employee IDs the engine should create now: accepted, and the flow's status rules give active or leave. */
function expectedUsers(flow: Flow, records: { status: string; employeeId?: string }[]): string[] {
  const [header, ...rows] = parseCsv(readFileSync(EXTRACT, 'utf8'));
  const live = new Set<string>();
  for (const row of rows) {
    const parsed = parseHrRecord(flow, Object.fromEntries(header!.cells.map((h, i) => [h, row.cells[i]])));
    if (!parsed.ok) continue;
    const stage = resolveStage(flow, parsed.record).stage;
    if (stage === 'active' || stage === 'leave') live.add(String(parsed.record[flow.matching.joinKey]));
  }
  return records
    .filter((r) => r.status === 'accepted' && r.employeeId && live.has(r.employeeId))
    .map((r) => r.employeeId!);
}

async function waitForEngine(
  http: DemoClient,
  running: Running,
  expected: string[],
  before: DirectoryView,
): Promise<DirectoryView> {
  const seconds = Number(process.env.TENURE_DEMO_WAIT_SECONDS ?? 120);
  const deadline = Date.now() + seconds * 1000;
  const tenantUrl = `${running.emulator.admin}/tenants/${running.emulator.demo!.tenantId}`;
  let seen = -1;
  for (;;) {
    const view = readDirectory((await http.call('GET', tenantUrl)).json);
    const present = expected.filter((id) => userByEmployeeId(view, id));
    if (present.length !== seen) {
      seen = present.length;
      out(`  ${present.length}/${expected.length} user(s) in the directory`);
    }
    if (present.length === expected.length) return view;
    const missing = expected.filter((id) => !present.includes(id));
    const timedOut = Date.now() > deadline;
    const why = await engineReasons(http, running, missing);
    const allFailed = why.length === missing.length && why.every((w) => / failed/.test(w));
    if (timedOut || allFailed) {
      fail(
        `${allFailed ? 'the engine failed' : `after ${seconds} s these workers have no user yet`}: ${missing.join(', ')}.\n` +
          (why.length
            ? why.map((w) => `  ${w}`).join('\n')
            : '  The engine has not reported on them: is it processing the hr-events queue? (the function list in the\n' +
              '  npm start banner should show a serviceBusTrigger on hr-events; see its log for errors)') +
          `\n  Changes so far:\n${describeChanges(before, view).join('\n') || '  none'}`,
      );
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** What the engine's worker endpoint (GET /api/flows/{flow}/workers/{id}) says about each worker. */
async function engineReasons(http: DemoClient, running: Running, ids: string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const id of ids) {
    const r = await http.call('GET', `${running.url}/api/flows/${FLOW}/workers/${encodeURIComponent(id)}`, {
      headers: { 'x-functions-key': running.functionKey },
    });
    if (r.status === 404 && !r.text) return lines; // this build has no worker endpoint
    const w = (
      r.json as { worker?: { status?: string; reason?: string; errorCode?: string; phase?: string } }
    )?.worker;
    if (r.status === 200 && w)
      lines.push(
        `${id}: ${w.status ?? '?'}${w.phase ? ` (${w.phase})` : ''}${w.errorCode ? ` ${w.errorCode}` : ''}${w.reason ? ` — ${w.reason}` : ''}`,
      );
    else if (r.status === 404) lines.push(`${id}: no record yet (the engine has not processed its message)`);
    else lines.push(`${id}: ${reason(r)}`);
  }
  return lines;
}

/** Warns when the flow's user principal names would use a domain the tenant has not verified. */
function warnAboutDomains(flow: Flow, tenant: unknown): void {
  const domains = (
    (tenant as { domains?: { id?: string; name?: string; isVerified?: boolean; verified?: boolean }[] })
      .domains ?? []
  )
    .filter((d) => d.isVerified ?? d.verified)
    .map((d) => (d.id ?? d.name ?? '').toLowerCase());
  const [header, first] = parseCsv(readFileSync(EXTRACT, 'utf8'));
  const record = Object.fromEntries(header!.cells.map((h, i) => [h, first?.cells[i] ?? '']));
  const upns = namingCandidates(flow, record, { now: new Date(), random: Math.random }).userPrincipalName;
  const bad = [...new Set(upns.map((u) => u.split('@')[1]?.toLowerCase() ?? ''))].filter(
    (d) => d && !domains.includes(d),
  );
  if (bad.length)
    out(
      `  warning: the flow names users in ${bad.join(', ')}, which the demo tenant has not verified (verified: ${domains.join(', ')}).\n` +
        '  Entra refuses such user principal names, so user creation will fail until the flow or the tenant changes.',
    );
}

async function ensureGroups(http: DemoClient, emulator: EmulatorReadyLine, flow: Flow): Promise<void> {
  const demo = emulator.demo!;
  if (!demo.clientSecret) {
    out('  the seed has no demo client secret; skipping (groups the tenant lacks will fail those workers)');
    return;
  }
  const token = await http.call('POST', `${emulator.login}/${demo.tenantId}/oauth2/v2.0/token`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: demo.clientId,
      client_secret: demo.clientSecret,
      scope: GRAPH_SCOPE,
    }).toString(),
  });
  expectStatus(token, [200], 'token for Graph');
  const auth = { authorization: `Bearer ${(token.json as { access_token: string }).access_token}` };
  for (const name of managedEntitlements(flow).groups.filter((g) => !isGuidRef(g))) {
    const filter = encodeURIComponent(`displayName eq '${name.replace(/'/g, "''")}'`);
    const found = await http.call('GET', `${emulator.graph}/v1.0/groups?$filter=${filter}`, {
      headers: auth,
    });
    expectStatus(found, [200], `looking up group "${name}"`);
    if (((found.json as { value?: unknown[] }).value ?? []).length > 0) continue;
    const created = await http.call('POST', `${emulator.graph}/v1.0/groups`, {
      headers: auth,
      json: {
        displayName: name,
        mailEnabled: false,
        securityEnabled: true,
        mailNickname: name.toLowerCase().replace(/[^a-z0-9]/g, '') || 'group',
      },
    });
    expectStatus(created, [201], `creating group "${name}"`);
    out(`  created group "${name}"`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof StepFailed) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
