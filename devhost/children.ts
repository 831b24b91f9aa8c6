// Child processes of the dev host and the test harness: started with a readiness check, stopped together.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { createInterface } from 'node:readline';

export interface Child {
  name: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A free TCP port on the host (the port is released before it is returned). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function spawnChild(name: string, command: string, args: string[], options: SpawnOptions): Child {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  return {
    name,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Resolves with the first stdout line that parses as JSON with the given `event`; rejects on exit or timeout. */
export function waitForJsonLine<T>(
  child: Child,
  event: string,
  timeoutMs: number,
  echo?: (line: string) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.process.stdout! });
    let stderr = '';
    child.process.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 8_000) stderr = stderr.slice(-8_000);
    });
    const timer = setTimeout(
      () => reject(new Error(`${child.name} was not ready within ${timeoutMs} ms\n${stderr}`)),
      timeoutMs,
    );
    let found = false;
    lines.on('line', (line) => {
      if (!found && line.startsWith('{')) {
        try {
          const parsed = JSON.parse(line) as { event?: string };
          if (parsed.event === event) {
            found = true;
            clearTimeout(timer);
            resolve(parsed as T);
            return;
          }
        } catch {
          // not the ready line
        }
      }
      echo?.(line);
    });
    child.process.once('exit', (code) => {
      clearTimeout(timer);
      if (!found) reject(new Error(`${child.name} exited with code ${code} before it was ready\n${stderr}`));
    });
  });
}

/** Resolves once a TCP port accepts connections. */
export async function waitForPort(port: number, host: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
