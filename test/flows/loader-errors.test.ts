/** Every flow load error names file:line:col and what is wrong. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowLoadError, formatIssue } from '../../shared/flows/errors';
import { loadFlow, parseFlow } from '../../shared/flows/loader';
import { assertSingleIssue, BASE, issuesOf, positionOf, variant } from './fixtures';

const withSection = (yaml: string): string => `${BASE}${yaml}`;

describe('flow loader errors', () => {
  it('the base fixture loads', () => {
    const flow = parseFlow(BASE, 'flow.yaml');
    assert.equal(flow.name, 'base');
    assert.equal(flow.sourceFile, 'flow.yaml');
  });
  it('YAML syntax errors', () => {
    const text = variant("  displayName: 'Join", "  displayName: 'Join\n  broken: [");
    const issues = issuesOf(text);
    assert.ok(issues.length >= 1);
    assert.match(issues[0].message, /^YAML: /);
    assert.ok(issues[0].line >= 21);
  });
  it('the document must be a mapping', () => {
    const [issue] = issuesOf('- just\n- a list\n');
    assert.deepEqual([issue.line, issue.column], [1, 1]);
    assert.match(issue.message, /expected a mapping/);
  });
  it('unknown and duplicate keys', () => {
    assertSingleIssue(
      variant('connection: demo\n', 'connection: demo\nconection: typo\n'),
      'conection',
      /unknown key "conection"/,
    );
    assertSingleIssue(
      variant('connection: demo\n', 'connection: demo\nconnection: other\n'),
      'connection',
      /duplicate key/,
      0,
      2,
    );
  });
  it('missing required keys are reported at the enclosing mapping', () => {
    const issue = assertSingleIssue(
      variant('connection: demo\n', ''),
      'version',
      /missing required key "connection"/,
    );
    assert.equal(formatIssue(issue), `flow.yaml:1:1: missing required key "connection"`);
    assertSingleIssue(
      variant('  startDate: Start\n', ''),
      'field: Status',
      /missing required key "startDate"/,
    );
  });
  it('version and name', () => {
    assertSingleIssue(variant('version: 1', 'version: 2'), '2', /unsupported version 2/);
    assertSingleIssue(variant('name: base', 'name: has spaces'), 'has spaces', /letters, digits/);
  });
  it('HR field definitions', () => {
    assertSingleIssue(variant('Level: number', 'Level: integer'), 'integer', /not one of: string, number/);
    assertSingleIssue(
      variant('First: string', 'First: { type: string, formats: [yyyy] }'),
      '[yyyy]',
      /formats apply only to date/,
    );
    assertSingleIssue(
      variant('formats: [yyyy-MM-dd]', 'formats: ["yyyy-MM-dd\'"]'),
      '"yyyy-MM-dd',
      /unterminated quoted text/,
    );
    assertSingleIssue(
      variant('Level: number', 'Level: { type: number, multiValued: true }'),
      'multiValued: true',
      /only string fields can be multi-valued/,
      13,
    );
    assertSingleIssue(
      variant('First: string', 'First: { type: string, requird: true }'),
      'requird',
      /unknown key "requird"/,
    );
  });
  it('worker time zone', () => {
    assertSingleIssue(
      variant('timeZone: Europe/Berlin', 'timeZone: Europe/Berln'),
      'Europe/Berln',
      /not an IANA time zone/,
    );
    assertSingleIssue(
      variant('timeZone: Europe/Berlin', 'timeZone: { field: Zone, fallback: UTC }'),
      'field: Zone',
      /unknown HR field "Zone"/,
      7,
    );
    assertSingleIssue(
      variant('timeZone: Europe/Berlin', 'timeZone: { field: First, fallback: Mars/Base }'),
      'Mars/Base',
      /not an IANA time zone/,
    );
  });
  it('matching', () => {
    assertSingleIssue(
      variant('joinKey: Id', 'joinKey: EmployeeNo'),
      'EmployeeNo',
      /unknown HR field "EmployeeNo"/,
    );
    assertSingleIssue(
      variant('joinKey: Id', 'joinKey: Start').replace(
        'Start: { type: date,',
        'Start: { type: date, required: true,',
      ),
      'Start\nstatus',
      /must be of type string or number/,
    );
    assertSingleIssue(
      variant('joinKey: Id', 'joinKey: Id\n  rehire: { previousIdField: Old, reuseAccountWithinDays: 30 }'),
      'Old',
      /unknown HR field "Old"/,
    );
  });
  it('the join key and the status field must be required fields', () => {
    assertSingleIssue(
      variant('Id: { type: string, required: true }', 'Id: string'),
      'Id\nstatus',
      /"Id" must be declared required: true/,
    );
    assertSingleIssue(
      variant('Status: { type: string, required: true }', 'Status: string'),
      'Status\n  values',
      /"Status" must be declared required: true/,
    );
  });
  it('status mapping', () => {
    assertSingleIssue(variant('field: Status', 'field: State'), 'State', /unknown HR field "State"/);
    assertSingleIssue(variant('Gone: terminated', 'Gone: fired'), 'fired', /"fired" is not a stage/);
    assertSingleIssue(
      variant('Gone: terminated', 'Gone: leave:vacation'),
      'leave:vacation',
      /is not a stage/,
    );
    assertSingleIssue(
      variant('startDate: Start', 'startDate: First'),
      'First\nattributes',
      /must be of type date or datetime/,
    );
    assertSingleIssue(
      variant('values: { Active: active, Gone: terminated }', 'values: {}'),
      '{}',
      /at least one HR status value/,
    );
    assertSingleIssue(
      variant(
        '  startDate: Start\n',
        '  startDate: Start\n  overrides:\n    - when: { attribute: Lvl, operator: IS NULL }\n      stage: leave:fmla\n',
      ),
      'Lvl',
      /unknown HR field "Lvl"/,
    );
  });
  it('stage options', () => {
    assertSingleIssue(withSection('stages:\n  run: [hire, fire]\n'), 'fire', /"fire" is not one of/);
    assertSingleIssue(
      withSection('stages:\n  run: [hire, delete]\n'),
      '[hire, delete]',
      /afterDays is not set/,
    );
    assertSingleIssue(
      withSection('stages:\n  hire:\n    initialCredential: { kind: password, length: 6 }\n'),
      '6 }',
      /at least 8/,
    );
    assertSingleIssue(
      withSection('stages:\n  hire:\n    initialCredential: { kind: password, classes: [lower, upper] }\n'),
      '[lower, upper]',
      /at least 3 of/,
    );
    assertSingleIssue(
      withSection(
        'stages:\n  hire:\n    initialCredential: { kind: temporaryAccessPass, lifetimeMinutes: 50000 }\n',
      ),
      '50000',
      /at most 43200/,
    );
    assertSingleIssue(
      withSection('stages:\n  hire:\n    initialCredential: { kind: passphrase, length: 20 }\n'),
      '20 }',
      /"length" does not apply to kind passphrase/,
    );
    assertSingleIssue(
      withSection('stages:\n  hire:\n    initialCredential: { kind: pin }\n'),
      'pin',
      /not one of: password/,
    );
    assertSingleIssue(
      withSection('stages:\n  leave:\n    vacation: { disable: true }\n'),
      'vacation',
      /unknown key "vacation"/,
    );
    assertSingleIssue(
      withSection('stages:\n  update: { groupRetention: never }\n'),
      'never',
      /not one of: managed-only/,
    );
    assertSingleIssue(
      withSection('stages:\n  termination:\n    disable: yes please\n'),
      'yes please',
      /expected true or false/,
    );
    assertSingleIssue(
      withSection('stages:\n  termination:\n    playbook:\n      - step: convert-mailbox\n'),
      'convert-mailbox',
      /camelCase/,
    );
    assertSingleIssue(
      withSection('stages:\n  termination:\n    playbook:\n      - with: { a: 1 }\n'),
      'with',
      /missing required key "step"/,
    );
    assertSingleIssue(
      withSection(
        'stages:\n  termination:\n    playbook:\n      - step: setAutoReply\n        with:\n          message: { expr: \'Join(" ", [Frist])\' }\n',
      ),
      '[Frist]',
      /TENURE_EXPR_UNKNOWN_ATTRIBUTE/,
    );
  });
  it('attribute map: attribute names', () => {
    assertSingleIssue(
      variant('  displayName:', '  favouriteColour: "x"\n  displayName:'),
      '"x"',
      /unknown Entra user attribute "favouriteColour"/,
    );
    assertSingleIssue(
      variant('  displayName:', '  userPrincipalName: "[First]"\n  displayName:'),
      '"[First]"',
      /set by naming.userPrincipalName/,
    );
    assertSingleIssue(
      variant('  displayName:', '  employeeId: "[Id]"\n  displayName:'),
      '"[Id]"',
      /set by matching.joinKey/,
    );
    assertSingleIssue(
      variant('  displayName:', '  accountEnabled: "True"\n  displayName:'),
      '"True"',
      /lifecycle stages/,
    );
  });
  it('attribute map: expression errors point inside the expression', () => {
    assertSingleIssue(
      variant('[Last])', '[Lats])'),
      '[Lats]',
      /TENURE_EXPR_UNKNOWN_ATTRIBUTE: unknown attribute \[Lats\]/,
    );
    assertSingleIssue(
      variant('\'Join(" ", [First], [Last])\'', '\'Jion(" ", [First], [Last])\''),
      'Jion',
      /TENURE_EXPR_UNKNOWN_FUNCTION/,
    );
    assertSingleIssue(
      variant('\'Join(" ", [First], [Last])\'', "'Left([First])'"),
      'Left',
      /TENURE_EXPR_ARITY/,
    );
    assertSingleIssue(
      variant('\'Join(" ", [First], [Last])\'', '\'Join(" ", [First]\''),
      "'\nnaming",
      /TENURE_EXPR_SYNTAX/,
    );
    assertSingleIssue(
      variant('\'Join(" ", [First], [Last])\'', '\'DateAdd("dd", 1, Now())\''),
      '"dd"',
      /TENURE_EXPR_INVALID_ARGUMENT/,
    );
  });
  it('expression positions in plain, double-quoted and block scalars', () => {
    assertSingleIssue(
      variant('\'Join(" ", [First], [Last])\'', 'Join(" ", [First], [Lsat])'),
      '[Lsat]',
      /unknown attribute/,
    );
    assertSingleIssue(
      variant('\'Join(" ", [First], [Last])\'', '"Join(\\" \\", [First], [Lsat])"'),
      '[Lsat]',
      /unknown attribute/,
    );
    assertSingleIssue(
      variant('\'Join(" ", [First], [Last])\'', '|\n    Join(" ",\n      [First],\n      [Lsat])'),
      '[Lsat]',
      /unknown attribute/,
    );
  });
  it('naming', () => {
    assertSingleIssue(
      variant("  mailNickname: ['[First]']\n", ''),
      'userPrincipalName',
      /missing required key "mailNickname"/,
    );
    assertSingleIssue(
      variant("mailNickname: ['[First]']", 'mailNickname: []'),
      '[]',
      /at least one candidate/,
    );
    assertSingleIssue(variant("'[First]'", "'ToLower([Frist])'"), '[Frist]', /unknown attribute/);
    const noNaming = BASE.slice(0, BASE.indexOf('naming:'));
    const [issue] = issuesOf(noNaming);
    assert.match(issue.message, /missing required key "naming"/);
  });
  it('conditions in group and licence rules', () => {
    const rule = (when: string): string =>
      withSection(`groups:\n  rules:\n    - when: ${when}\n      grant: [Sales]\n`);
    assertSingleIssue(
      rule('{ attribute: Dept, operator: EQUALS, value: Sales }'),
      'Dept',
      /unknown HR field "Dept"/,
    );
    assertSingleIssue(
      rule('{ attribute: First, operator: CONTAINS, value: a }'),
      'CONTAINS',
      /unknown operator "CONTAINS"/,
    );
    assertSingleIssue(
      rule('{ attribute: First, operator: EQUALS }'),
      '{ attribute: First',
      /needs a "value"/,
    );
    assertSingleIssue(rule('{ attribute: First, operator: IS NULL, value: x }'), 'x }', /takes no value/);
    assertSingleIssue(
      rule("{ attribute: First, operator: REGEX MATCH, value: '([a-z' }"),
      "'([a-z'",
      /invalid regular expression/,
    );
    assertSingleIssue(
      rule('{ attribute: Level, operator: GREATER_THAN, value: high }'),
      'high',
      /not an integer/,
    );
    assertSingleIssue(rule('{ anyOf: [] }'), '[]', /at least one clause/);
    assertSingleIssue(
      rule('{ attribute: First, operator: EQUALS, value: a, extra: 1 }'),
      'extra',
      /unknown key "extra"/,
    );
    assertSingleIssue(
      withSection(
        'groups:\n  rules:\n    - when: { attribute: First, operator: IS NOT NULL }\n      grant: []\n',
      ),
      '[]',
      /at least one entry/,
    );
  });
  it('mutually exclusive sets', () => {
    assertSingleIssue(
      withSection(
        'licenses:\n  exclusive:\n    - name: m365\n      members:\n        - { ref: SPE_E5, priority: 1 }\n        - { ref: SPE_E3, priority: 1 }\n',
      ),
      '1 }',
      /priority 1 is used twice/,
      0,
      2,
    );
    assertSingleIssue(
      withSection(
        'licenses:\n  exclusive:\n    - name: m365\n      members:\n        - { ref: SPE_E5, priority: 1 }\n',
      ),
      '- { ref: SPE_E5',
      /at least two members/,
    );
  });
  it('manager, guard, fullExtract and scim', () => {
    assertSingleIssue(withSection('manager: Boss\n'), 'Boss', /unknown HR field "Boss"/);
    assertSingleIssue(withSection('guard: { window: 1 hour }\n'), '1 hour', /ISO 8601 duration/);
    assertSingleIssue(withSection('guard: { maxDeletes: -1 }\n'), '-1', /at least 0/);
    assertSingleIssue(
      withSection('fullExtract: { missingWorkers: delete }\n'),
      'delete',
      /not one of: report, terminate/,
    );
    assertSingleIssue(
      withSection('scim:\n  urn:ietf:params:scim:schemas:core:2.0:User:userName: Login\n'),
      'Login',
      /unknown HR field "Login"/,
    );
  });
  it('examples', () => {
    const ex = (body: string): string => withSection(`examples:\n${body}`);
    assertSingleIssue(
      ex('  - name: a\n    record: {}\n    expect: {}\n  - name: a\n    record: {}\n    expect: {}\n'),
      'a\n',
      /duplicate example name/,
      0,
      2,
    );
    assertSingleIssue(
      ex("  - name: a\n    now: 'tomorrow'\n    record: {}\n    expect: {}\n"),
      "'tomorrow'",
      /not an ISO 8601 time/,
    );
    assertSingleIssue(ex('  - name: a\n    expect: {}\n'), 'name: a', /missing required key "record"/);
    assertSingleIssue(
      ex('  - name: a\n    record: {}\n    expect: { stage: gone }\n'),
      'gone',
      /not a stage/,
    );
    assertSingleIssue(
      ex('  - name: a\n    record: {}\n    expect: { attributs: {} }\n'),
      'attributs',
      /unknown key/,
    );
  });
  it('reports every problem of a file at once, in file order', () => {
    const text = variant('joinKey: Id', 'joinKey: Nope')
      .replace('Gone: terminated', 'Gone: fired')
      .replace('[Last])', '[Lats])');
    const issues = issuesOf(text);
    assert.deepEqual(
      issues.map((i) => i.path),
      ['matching.joinKey', 'status.values.Gone', 'attributes.displayName'],
    );
    assert.deepEqual(
      issues.map((i) => i.line),
      [15, 18, 21],
    );
  });
  it('the error message lists file:line:col for each issue', () => {
    try {
      parseFlow(variant('joinKey: Id', 'joinKey: Nope'), 'flows/x.yaml');
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(err instanceof FlowLoadError);
      const p = positionOf(variant('joinKey: Id', 'joinKey: Nope'), 'Nope');
      assert.equal(
        err.message,
        `flows/x.yaml:${p.line}:${p.column}: matching.joinKey: unknown HR field "Nope" (not in hr.fields)`,
      );
    }
  });
  it('an unreadable file', () => {
    try {
      loadFlow('/nonexistent/flow.yaml');
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(err instanceof FlowLoadError);
      assert.equal(err.code, 'TENURE_FLOW_UNREADABLE');
      assert.equal(err.issues[0].file, '/nonexistent/flow.yaml');
    }
  });
});
