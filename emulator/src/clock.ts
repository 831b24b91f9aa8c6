// The emulator clock: wall time plus an offset an admin endpoint can advance, so 30-day restore windows, 90-day
// refresh-token inactivity and future-dated events can be tested in seconds.
export class EmulatorClock {
  #offsetMs = 0;

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  nowDate(): Date {
    return new Date(this.now());
  }

  /** Moves the clock forward; the clock never goes back. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The emulator clock only moves forward.');
    this.#offsetMs += ms;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }
}
