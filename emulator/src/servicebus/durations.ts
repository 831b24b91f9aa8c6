// Entity durations as Service Bus writes them: ISO 8601 (`PT1M`, `P14D`) in ARM/ATOM, or .NET TimeSpan
// (`00:01:00`, `1.00:00:00`) in host.json and the SDKs' docs. Both are accepted; anything else is an error.
export class DurationError extends Error {
  readonly code = 'EMULATOR_SERVICEBUS_DURATION_INVALID';
}

const ISO = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const TIMESPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;

/** Milliseconds for a duration string; `undefined` stays undefined (caller applies the default). */
export function parseDuration(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const iso = ISO.exec(value);
  if (iso && value !== 'P' && value !== 'PT') {
    const [, d, h, m, s] = iso.map((x) => (x === undefined ? 0 : Number(x)));
    return Math.round((((d! * 24 + h!) * 60 + m!) * 60 + s!) * 1000);
  }
  const ts = TIMESPAN.exec(value);
  if (ts) {
    const [, d, h, m, s] = ts.map((x) => (x === undefined ? 0 : Number(x)));
    const fraction = ts[5] ? Number(`0.${ts[5]}`) : 0;
    return Math.round((((d! * 24 + h!) * 60 + m!) * 60 + s! + fraction) * 1000);
  }
  throw new DurationError(
    `${field}: "${value}" is neither an ISO 8601 duration (PT1M) nor a TimeSpan (00:01:00)`,
  );
}
