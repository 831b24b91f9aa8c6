/** A small valid flow and helpers to break it and locate the breakage. */
import assert from 'node:assert/strict';
import { FlowLoadError, type FlowIssue } from '../../shared/flows/errors';
import { parseFlow } from '../../shared/flows/loader';

export const BASE = `version: 1
name: base
connection: demo
hr:
  timeZone: Europe/Berlin
  fields:
    Id: { type: string, required: true }
    Status: { type: string, required: true }
    First: string
    Last: string
    Start: { type: date, formats: [yyyy-MM-dd] }
    Level: number
    Tags: { type: string, multiValued: true }
matching:
  joinKey: Id
status:
  field: Status
  values: { Active: active, Gone: terminated }
  startDate: Start
attributes:
  displayName: 'Join(" ", [First], [Last])'
naming:
  userPrincipalName: ['Join("@", [First], "contoso.com")']
  mailNickname: ['[First]']
`;

/** BASE with one exact substring replaced (the substring must occur). */
export function variant(find: string, replace: string): string {
  assert.ok(BASE.includes(find), `fixture does not contain ${JSON.stringify(find)}`);
  return BASE.replace(find, replace);
}

/** Issues the loader reports for `text` (fails when it loads). */
export function issuesOf(text: string, file = 'flow.yaml'): FlowIssue[] {
  try {
    parseFlow(text, file);
  } catch (err) {
    assert.ok(err instanceof FlowLoadError, String(err));
    assert.equal(err.code, 'TENURE_FLOW_INVALID');
    return [...err.issues];
  }
  assert.fail('expected the flow to be invalid');
}

/** Line and column (1-based) of the `nth` occurrence of `marker` in `text`, plus `offset` characters. */
export function positionOf(
  text: string,
  marker: string,
  offset = 0,
  nth = 1,
): { line: number; column: number } {
  let idx = -1;
  for (let i = 0; i < nth; i++) {
    idx = text.indexOf(marker, idx + 1);
    assert.ok(idx >= 0, `marker ${JSON.stringify(marker)} not found`);
  }
  const before = text.slice(0, idx + offset);
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** Asserts exactly one issue, at the marker, whose message matches. */
export function assertSingleIssue(
  text: string,
  marker: string,
  message: RegExp,
  offset = 0,
  nth = 1,
): FlowIssue {
  const issues = issuesOf(text);
  assert.equal(issues.length, 1, issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  const [issue] = issues;
  assert.deepEqual(
    { line: issue.line, column: issue.column },
    positionOf(text, marker, offset, nth),
    issue.message,
  );
  assert.match(issue.message, message);
  assert.equal(issue.file, 'flow.yaml');
  return issue;
}
