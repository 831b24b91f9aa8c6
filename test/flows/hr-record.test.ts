/** parseHrRecord: validation and coercion per the HR data definition, with field-level reasons. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHrRecord } from '../../shared/flows/hr-record';
import { parseFlow } from '../../shared/flows/loader';
import { BASE, variant } from './fixtures';

const flow = parseFlow(
  variant(
    '    Tags: { type: string, multiValued: true }\n',
    `    Tags: { type: string, multiValued: true }
    Active: boolean
    Seen: { type: datetime, formats: ["yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ssK"] }
    Ended: date
`,
  ),
);
const base = { Id: 'E1', Status: 'Active' };

describe('parseHrRecord', () => {
  it('coerces each type to its normal form', () => {
    const r = parseHrRecord(flow, {
      ...base,
      Level: '7',
      Active: 'yes',
      Start: '2024-03-01',
      Ended: '2024-02-29-08:00',
      Tags: 'one',
    });
    assert.deepEqual(r, {
      ok: true,
      record: {
        Id: 'E1',
        Status: 'Active',
        First: null,
        Last: null,
        Start: '2024-03-01',
        Level: 7,
        Tags: ['one'],
        Active: true,
        Seen: null,
        Ended: '2024-02-29',
      },
    });
  });
  it('datetime without offset is read in the worker time zone (Europe/Berlin)', () => {
    const winter = parseHrRecord(flow, { ...base, Seen: '2024-01-15 09:30' });
    assert.ok(winter.ok);
    assert.equal(winter.record.Seen, '2024-01-15T08:30:00Z');
    const summer = parseHrRecord(flow, { ...base, Seen: '2024-07-15 09:30' });
    assert.ok(summer.ok);
    assert.equal(summer.record.Seen, '2024-07-15T07:30:00Z');
    const explicit = parseHrRecord(flow, { ...base, Seen: '2024-07-15T09:30:00Z' });
    assert.ok(explicit.ok);
    assert.equal(explicit.record.Seen, '2024-07-15T09:30:00Z');
  });
  it('numbers and booleans in string fields become text; empty values are absent', () => {
    const r = parseHrRecord(flow, { Id: 1234, Status: 'Active', First: '  ', Tags: [] });
    assert.ok(r.ok);
    assert.equal(r.record.Id, '1234');
    assert.equal(r.record.First, null);
    assert.equal(r.record.Tags, null);
  });
  it('reports every bad field with a reason, and unknown fields', () => {
    const r = parseHrRecord(flow, {
      Status: 'Active',
      Level: 'seven',
      Active: 'maybe',
      Start: '03/01/2024',
      Tags: [{}],
      First: ['a'],
      Extra: 1,
    });
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e.reason]));
    assert.deepEqual(Object.keys(byField).sort(), [
      'Active',
      'Extra',
      'First',
      'Id',
      'Level',
      'Start',
      'Tags',
    ]);
    assert.equal(byField.Id, 'required');
    assert.match(byField.Extra, /unknown field/);
    assert.match(byField.Start, /accepted format \(yyyy-MM-dd\)/);
    assert.match(byField.Level, /number/);
    assert.match(byField.First, /single value/);
  });
  it('reasons never contain the value', () => {
    const r = parseHrRecord(flow, { ...base, Level: 'SECRET-123', Start: 'SECRET-456' });
    assert.ok(!r.ok);
    for (const e of r.errors) assert.ok(!e.reason.includes('SECRET'));
  });
  it('impossible dates are rejected', () => {
    const r = parseHrRecord(flow, { ...base, Start: '2023-02-29' });
    assert.equal(r.ok, false);
  });
  it('a time-zone field must hold an IANA zone', () => {
    const tzFlow = parseFlow(
      BASE.replace('timeZone: Europe/Berlin', 'timeZone: { field: Last, fallback: UTC }'),
    );
    const bad = parseHrRecord(tzFlow, { ...base, Last: 'Middle-earth/Shire' });
    assert.ok(!bad.ok);
    assert.deepEqual(
      bad.errors.map((e) => e.field),
      ['Last'],
    );
    assert.ok(parseHrRecord(tzFlow, { ...base, Last: 'Asia/Tokyo' }).ok);
  });
});

describe('parseHrRecord with the matching section', () => {
  it('rejects a join key longer than Entra employeeId allows (16)', () => {
    const full = parseFlow(BASE);
    assert.ok(parseHrRecord(full, { Id: 'A'.repeat(16), Status: 'Active' }).ok);
    const r = parseHrRecord(full, { Id: 'A'.repeat(17), Status: 'Active' });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.errors.map((e) => e.field),
      ['Id'],
    );
    assert.match(r.errors[0].reason, /16 characters/);
  });
});
