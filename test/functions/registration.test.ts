// Loads the compiled app through a stand-in for the Functions worker and asserts every function's trigger
// metadata. Adding, removing or changing a function without updating EXPECTED fails this test on purpose: the
// trigger metadata is a contract with the host (routes, auth levels, queues, sessions, schedules).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadApp, type LoadedApp, type RegisteredFunction } from '../../devhost/loadApp';

type Summary =
  | { trigger: 'http'; route: string; methods: string[]; authLevel: string }
  | {
      trigger: 'serviceBus';
      queueName: string;
      connection: string;
      isSessionsEnabled: boolean;
      cardinality: string;
    }
  | { trigger: 'timer'; schedule: string; runOnStartup: boolean };

// One line per function (prettier-ignore keeps it so), to make additions easy to review.
// prettier-ignore
const EXPECTED: Record<string, Summary> = {
health: { trigger: 'http', route: 'health', methods: ['GET'], authLevel: 'anonymous' },
  createConnection: { trigger: 'http', route: 'connections', methods: ['POST'], authLevel: 'function' },
  listConnections: { trigger: 'http', route: 'connections', methods: ['GET'], authLevel: 'function' },
  getConnection: { trigger: 'http', route: 'connections/{id}', methods: ['GET'], authLevel: 'function' },
  downloadCertificate: { trigger: 'http', route: 'connections/{id}/certificate', methods: ['GET'], authLevel: 'function' },
  linkConnection: { trigger: 'http', route: 'connections/{id}/link', methods: ['POST'], authLevel: 'function' },
  beginLinkAccount: { trigger: 'http', route: 'connections/{id}/link', methods: ['GET'], authLevel: 'function' },
  postEvents: { trigger: 'http', route: 'flows/{flow}/events', methods: ['POST'], authLevel: 'function' },
  oauthCallback: { trigger: 'http', route: 'oauth/callback', methods: ['GET'], authLevel: 'anonymous' },
  oauthAdminConsent: { trigger: 'http', route: 'oauth/adminconsent', methods: ['GET'], authLevel: 'anonymous' },
  refreshConnections: { trigger: 'timer', schedule: '0 0 */6 * * *', runOnStartup: false },
  adminPage: { trigger: 'http', route: 'admin', methods: ['GET'], authLevel: 'function' },
  adminCreateConnection: { trigger: 'http', route: 'admin/connections', methods: ['POST'], authLevel: 'function' },
  adminLinkConnection: { trigger: 'http', route: 'admin/connections/{id}/link', methods: ['POST'], authLevel: 'function' },
  reconcileWorker: { trigger: 'serviceBus', queueName: '%TENURE_HR_QUEUE%', connection: 'ServiceBusConnection', isSessionsEnabled: true, cardinality: 'one' },
  getWorker: { trigger: 'http', route: 'flows/{flow}/workers/{employeeId}', methods: ['GET'], authLevel: 'function' },
  replayWorker: { trigger: 'http', route: 'flows/{flow}/workers/{employeeId}/replay', methods: ['POST'], authLevel: 'function' },
  previewFlow: { trigger: 'http', route: 'flows/{flow}/preview', methods: ['POST'], authLevel: 'function' },
  listHeldPlans: { trigger: 'http', route: 'flows/{flow}/held', methods: ['GET'], authLevel: 'function' },
  resumeHeldPlans: { trigger: 'http', route: 'flows/{flow}/held/resume', methods: ['POST'], authLevel: 'function' },
  discardHeldPlans: { trigger: 'http', route: 'flows/{flow}/held/discard', methods: ['POST'], authLevel: 'function' },
};

export function summarize(loaded: LoadedApp, fn: RegisteredFunction): Summary {
  const t = loaded.trigger(fn);
  switch (t.type) {
    case 'httpTrigger':
      return {
        trigger: 'http',
        route: String(t.route),
        methods: [...((t.methods as string[] | undefined) ?? [])].sort(),
        authLevel: String(t.authLevel),
      };
    case 'serviceBusTrigger':
      return {
        trigger: 'serviceBus',
        queueName: String(t.queueName),
        connection: String(t.connection),
        isSessionsEnabled: t.isSessionsEnabled === true,
        cardinality: String(t.cardinality ?? 'one'),
      };
    case 'timerTrigger':
      return { trigger: 'timer', schedule: String(t.schedule), runOnStartup: t.runOnStartup === true };
    default:
      throw new Error(`function ${fn.name} has a trigger this test does not know: ${t.type}`);
  }
}

const loaded = loadApp();

test('the app registers exactly the expected functions', () => {
  assert.deepEqual(loaded.functions.map((f) => f.name).sort(), Object.keys(EXPECTED).sort());
});

test('every function has the expected trigger metadata', () => {
  for (const fn of loaded.functions) {
    assert.deepEqual(summarize(loaded, fn), EXPECTED[fn.name], `trigger of ${fn.name}`);
  }
});

test('HTTP functions return through the http output binding', () => {
  for (const fn of loaded.functions.filter((f) => loaded.trigger(f).type === 'httpTrigger')) {
    const out = Object.values(fn.bindings).find((b) => b.direction === 'out');
    assert.equal(out?.type, 'http', `${fn.name} output binding`);
  }
});

test('only the OAuth redirects and the health probe are anonymous', () => {
  const anonymous = loaded.functions
    .filter((f) => loaded.trigger(f).type === 'httpTrigger' && loaded.trigger(f).authLevel === 'anonymous')
    .map((f) => f.name)
    .sort();
  const allowed = new Set(['health', 'oauthCallback', 'oauthAdminConsent']);
  for (const name of anonymous) assert.ok(allowed.has(name), `${name} must not be anonymous`);
});
