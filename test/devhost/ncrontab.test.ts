import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSchedule, ScheduleError } from '../../devhost/ncrontab';

const at = (iso: string): Date => new Date(iso);

test('every five minutes on the minute', () => {
  const s = parseSchedule('0 */5 * * * *');
  assert.equal(s.next(at('2026-11-26T10:02:30Z')).toISOString(), '2026-11-26T10:05:00.000Z');
  assert.equal(s.next(at('2026-11-26T10:05:00Z')).toISOString(), '2026-11-26T10:10:00.000Z');
});

test('hourly at minute 30 rolls over days, months and years', () => {
  const s = parseSchedule('0 30 * * * *');
  assert.equal(s.next(at('2026-12-31T23:45:00Z')).toISOString(), '2027-01-01T00:30:00.000Z');
});

test('weekdays at 09:30 by name', () => {
  const s = parseSchedule('0 30 9 * * MON-FRI');
  // 2026-11-28 is a Saturday.
  assert.equal(s.next(at('2026-11-27T10:00:00Z')).toISOString(), '2026-11-30T09:30:00.000Z');
});

test('lists, ranges with steps and day 7 as Sunday', () => {
  assert.equal(
    parseSchedule('0 0 1-23/11 * * *').next(at('2026-11-26T01:00:00Z')).toISOString(),
    '2026-11-26T12:00:00.000Z',
  );
  assert.equal(
    parseSchedule('0 0 0 * * 7').next(at('2026-11-26T00:00:00Z')).toISOString(),
    '2026-11-29T00:00:00.000Z',
  );
  assert.equal(
    parseSchedule('15,45 * * * * *').next(at('2026-11-26T00:00:20Z')).toISOString(),
    '2026-11-26T00:00:45.000Z',
  );
});

test('day of month and day of week both restricted match either', () => {
  // The 1st of December 2026 is a Tuesday; the first Monday after Nov 26 is Nov 30.
  assert.equal(
    parseSchedule('0 0 0 1 * MON').next(at('2026-11-26T00:00:00Z')).toISOString(),
    '2026-11-30T00:00:00.000Z',
  );
});

test('bad expressions are refused with the field named', () => {
  assert.throws(() => parseSchedule('*/5 * * * *'), ScheduleError);
  assert.throws(() => parseSchedule('0 61 * * * *'), /minute "61" is outside 0-59/);
  assert.throws(() => parseSchedule('0 0 0 31 2 *').next(at('2026-01-01T00:00:00Z')), /never fires/);
});
