// Local time travel: with TENURE_DEVHOST_EMULATOR_CLOCK=1 the dev host's process time follows the emulator clock
// (POST /_emulator/clock/advance), so scheduled messages released by the emulator's broker are handled at the
// instant they were due, and tokens cached by the SDKs expire by the same clock the emulator checks. Dev host only:
// the function app keeps using the system clock; Azure never runs this.
const RealDate = Date;
let offsetMs = 0;
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  class EmulatorDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offsetMs);
      else super(...(args as [string | number]));
    }
    static override now(): number {
      return RealDate.now() + offsetMs;
    }
  }
  globalThis.Date = EmulatorDate as DateConstructor;
}

export interface EmulatorTime {
  /** Reads the emulator clock now (before handling a message). */
  sync(): Promise<void>;
  stop(): void;
}

/** Follows the emulator clock at `adminUrl` (…/_emulator): polled, and synced on demand. */
export async function followEmulatorClock(adminUrl: string, pollMs = 250): Promise<EmulatorTime> {
  install();
  const url = `${adminUrl.replace(/\/$/, '')}/clock`;
  const sync = async () => {
    const sent = RealDate.now();
    const res = await fetch(url);
    if (!res.ok) throw new Error(`emulator clock: HTTP ${res.status}`);
    const body = (await res.json()) as { now: string };
    offsetMs = RealDate.parse(body.now) - Math.round((sent + RealDate.now()) / 2);
  };
  await sync();
  const timer = setInterval(() => void sync().catch(() => undefined), pollMs);
  timer.unref();
  return { sync, stop: () => clearInterval(timer) };
}
