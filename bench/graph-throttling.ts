// Benchmark: sustained Graph writes against the emulator's identity throttling. A client that honours
// Retry-After (re-posting only the throttled $batch items) runs for a fixed real time at a given timeScale and
// prints what got through, expressed in Graph's own units (writes per 2 min 30 s). Expect the first 3,000 writes
// as a burst, then about 3,000 per 150 s / timeScale.
//   node dist/bench/graph-throttling.js [--seconds 10] [--time-scale 30] [--concurrency 4]
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_STATE_DIR, startEmulator } from '../emulator/src/emulator';
import { updateGraphSettings } from '../emulator/src/graph/kernel/settings';
import { ensureCertificateAuthority } from '../emulator/src/tls';
import { issueAccessToken } from '../emulator/src/tokens/accessToken';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

interface Item {
  id: string;
  status: number;
  headers: Record<string, string>;
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 10);
  const timeScale = arg('time-scale', 30);
  const concurrency = arg('concurrency', 4);
  const emulator = await startEmulator();
  const { context } = emulator;
  updateGraphSettings(context.state, { timeScale });
  const appId = randomUUID();
  const domain = `bench${appId.slice(0, 6)}.test`;
  const tenant = context.state.addTenant({
    displayName: 'Bench',
    size: 'L',
    domains: [{ name: domain }],
    users: [{ userPrincipalName: `target@${domain}`, displayName: 'Target' }],
    servicePrincipals: [{ appId, appPermissions: { graph: ['User.ReadWrite.All'] } }],
  });
  const sp = [...tenant.servicePrincipals.values()][0]!;
  const target = [...tenant.users.values()][0]!.id;
  const token = issueAccessToken(context, {
    tenant,
    resource: 'graph',
    clientAppId: appId,
    subject: { kind: 'app', servicePrincipal: sp },
    clientAuth: '1',
    lifetimeSeconds: 86_400,
  }).accessToken;

  let accepted = 0;
  let throttled = 0;
  let retryAfterSum = 0;
  let throttledBatches = 0;
  let n = 0;
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const perSecond = new Map<number, number>();

  async function worker(): Promise<void> {
    let pending = Array.from({ length: 20 }, () => ({ id: String(n++), jobTitle: `t${n}` }));
    while (Date.now() < deadline) {
      const res = await fetch(`${context.endpoints.graph}/v1.0/$batch`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          requests: pending.map((p) => ({
            id: p.id,
            method: 'PATCH',
            url: `/users/${target}`,
            headers: { 'Content-Type': 'application/json' },
            body: { jobTitle: p.jobTitle },
          })),
        }),
      });
      const { responses } = (await res.json()) as { responses: Item[] };
      const retry = responses.filter((r) => r.status === 429);
      const ok = responses.length - retry.length;
      accepted += ok;
      const second = Math.floor((Date.now() - started) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + ok);
      throttled += retry.length;
      const wait = Math.max(0, ...retry.map((r) => Number(r.headers['Retry-After'] ?? 0)));
      if (retry.length > 0) {
        retryAfterSum += wait;
        throttledBatches++;
      }
      const retryIds = new Set(retry.map((r) => r.id));
      pending = [
        ...pending.filter((p) => retryIds.has(p.id)),
        ...Array.from({ length: 20 - retryIds.size }, () => ({ id: String(n++), jobTitle: `t${n}` })),
      ];
      if (wait > 0) await new Promise((r) => setTimeout(r, wait * 1000));
    }
  }
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  const elapsed = (Date.now() - started) / 1000;
  await emulator.close();

  const graphSeconds = elapsed * timeScale;
  const expected = 3_000 + (3_000 / 150) * graphSeconds;
  const lines = [
    `timeScale ${timeScale}, ${elapsed.toFixed(1)} s real = ${graphSeconds.toFixed(0)} s of Graph time, concurrency ${concurrency}`,
    `accepted writes        ${accepted}`,
    `documented ceiling     ${expected.toFixed(0)}  (3,000 burst + 3,000 per 150 s)`,
    `throttled sub-requests ${throttled}  (mean Retry-After ${throttledBatches ? ((retryAfterSum / throttledBatches) * 1000).toFixed(1) : '-'} ms real)`,
    `sustained after burst  ${(((accepted - 3_000) / Math.max(1, graphSeconds)) * 150).toFixed(0)} writes per 150 s of Graph time`,
    `accepted per real second: ${[...perSecond.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, v]) => v)
      .join(' ')}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function entry(): Promise<void> {
  // fetch trusts the emulator's CA only through NODE_EXTRA_CA_CERTS, read at process start: re-run with it.
  const caPath = join(DEFAULT_STATE_DIR, 'ca', 'ca.pem');
  if (process.env.NODE_EXTRA_CA_CERTS !== caPath) {
    const ca = await ensureCertificateAuthority(join(DEFAULT_STATE_DIR, 'ca'));
    const child = spawnSync(process.execPath, process.argv.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.certPath },
    });
    process.exit(child.status ?? 1);
  }
  await main();
}

entry().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error)}\n`,
  );
  process.exit(1);
});
