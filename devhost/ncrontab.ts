// NCRONTAB, the six-field schedule format of Azure Functions timer triggers:
// {second} {minute} {hour} {day} {month} {day-of-week}, each field `*`, a number, a range `a-b`, a list `a,b`,
// and steps `*/n` or `a-b/n`. Months and days of week also take three-letter names. Times are UTC (as in Azure
// unless WEBSITE_TIME_ZONE is set, which the dev host does not emulate).

export interface Schedule {
  /** The first matching instant strictly after `after`. */
  next(after: Date): Date;
}

const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day-of-week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;

export class ScheduleError extends Error {
  readonly code = 'TENURE_DEVHOST_SCHEDULE';
}

export function parseSchedule(expression: string): Schedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6)
    throw new ScheduleError(
      `"${expression}": NCRONTAB needs 6 fields (second minute hour day month day-of-week)`,
    );
  const sets = parts.map((part, i) => parseField(part, FIELDS[i]!, expression));
  const [seconds, minutes, hours, days, months, weekdays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  const dayRestricted = parts[3] !== '*';
  const weekdayRestricted = parts[5] !== '*';
  const dayMatches = (d: Date): boolean => {
    const dom = days.has(d.getUTCDate());
    const dow = weekdays.has(d.getUTCDay());
    // As in cron: when both are restricted, either may match.
    if (dayRestricted && weekdayRestricted) return dom || dow;
    return dom && dow;
  };
  return {
    next(after: Date): Date {
      const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
      const limit = after.getTime() + 5 * 366 * 86_400_000;
      while (t.getTime() <= limit) {
        if (!months.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0);
          continue;
        }
        if (!dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0);
          continue;
        }
        if (!hours.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0);
          continue;
        }
        if (!minutes.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0);
          continue;
        }
        if (!seconds.has(t.getUTCSeconds())) {
          t.setUTCSeconds(t.getUTCSeconds() + 1);
          continue;
        }
        return t;
      }
      throw new ScheduleError(`"${expression}" never fires`);
    },
  };
}

function parseField(part: string, field: (typeof FIELDS)[number], expression: string): Set<number> {
  const out = new Set<number>();
  for (const item of part.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new ScheduleError(`"${expression}": bad step in ${field.name} field "${item}"`);
    let lo: number = field.min;
    let hi: number = field.max;
    if (range !== '*') {
      const [a, b] = range!.split('-');
      lo = value(a!, field, expression);
      hi = b === undefined ? (stepText === undefined ? lo : field.max) : value(b, field, expression);
    }
    if (lo > hi) throw new ScheduleError(`"${expression}": empty range in ${field.name} field "${item}"`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function value(text: string, field: (typeof FIELDS)[number], expression: string): number {
  const names: readonly string[] | undefined = 'names' in field ? field.names : undefined;
  const byName = names?.indexOf(text.toUpperCase()) ?? -1;
  const n = byName >= 0 ? byName + field.min : Number(text);
  // Day of week 7 is Sunday too.
  const v = field.name === 'day-of-week' && n === 7 ? 0 : n;
  if (!Number.isInteger(v) || v < field.min || v > field.max) {
    throw new ScheduleError(`"${expression}": ${field.name} "${text}" is outside ${field.min}-${field.max}`);
  }
  return v;
}
