/** Graph's documented value rules are checked when attributes and names are computed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../shared/expressions/evaluate';
import { attributeProblem, namingProblem } from '../../shared/flows/attribute-constraints';
import { parseFlow } from '../../shared/flows/loader';
import { evaluateAttributes, namingCandidates } from '../../shared/flows/mapping';
import { BASE, variant } from './fixtures';

const clock = { now: new Date('2025-01-01T00:00:00Z'), random: seededRandom(1) };

describe('attribute value rules', () => {
  it('lengths, codes, enumerations and formats', () => {
    assert.equal(attributeProblem('department', 'x'.repeat(64)), undefined);
    assert.match(attributeProblem('department', 'x'.repeat(65)) ?? '', /longer than 64/);
    assert.match(attributeProblem('displayName', 'x'.repeat(257)) ?? '', /longer than 256/);
    assert.match(attributeProblem('postalCode', '1'.repeat(41)) ?? '', /longer than 40/);
    assert.equal(attributeProblem('usageLocation', 'GB'), undefined);
    assert.match(attributeProblem('usageLocation', 'UK ') ?? '', /two-letter/);
    assert.match(attributeProblem('usageLocation', 'gb') ?? '', /two-letter/);
    assert.match(attributeProblem('businessPhones', ['1', '2']) ?? '', /only one/);
    assert.equal(attributeProblem('ageGroup', 'minor'), undefined);
    assert.match(attributeProblem('ageGroup', 'child') ?? '', /one of minor/);
    assert.match(attributeProblem('preferredLanguage', 'English') ?? '', /language tag/);
    assert.match(attributeProblem('employeeHireDate', 'soon') ?? '', /ISO 8601/);
    assert.match(attributeProblem('otherMails', ['zoë@x.com']) ?? '', /accented/);
  });
  it('naming rules', () => {
    assert.equal(namingProblem('userPrincipalName', 'zoe.smith@contoso.com'), undefined);
    assert.match(namingProblem('userPrincipalName', 'zoë.smith@contoso.com') ?? '', /accented/);
    assert.match(namingProblem('userPrincipalName', 'contoso.com') ?? '', /name@domain/);
    assert.match(namingProblem('userPrincipalName', `${'a'.repeat(65)}@x.com`) ?? '', /longer than 64/);
    assert.match(namingProblem('mailNickname', 'zoe smith') ?? '', /ASCII without spaces/);
    assert.match(namingProblem('mailNickname', 'a'.repeat(65)) ?? '', /longer than 64/);
    assert.equal(namingProblem('mailNickname', 'zoe.smith'), undefined);
  });
  it('evaluateAttributes reports a broken rule per attribute and keeps the others', () => {
    const flow = parseFlow(
      variant(
        '  displayName: \'Join(" ", [First], [Last])\'\n',
        "  displayName: 'Join(\" \", [First], [Last])'\n  usageLocation: '[Last]'\n  showInAddressList: '\"True\"'\n",
      ),
    );
    const r = evaluateAttributes(flow, { First: 'Ann', Last: 'Lee' }, clock);
    assert.deepEqual(r.attributes, { displayName: 'Ann Lee', showInAddressList: true });
    assert.deepEqual(
      r.errors.map((e) => [e.attribute, e.code]),
      [['usageLocation', 'TENURE_ATTRIBUTE_INVALID']],
    );
    assert.ok(!r.errors[0].message.includes('Lee'), 'the value is not in the message');
  });
  it('namingCandidates drops and reports candidates Graph would refuse', () => {
    const flow = parseFlow(BASE);
    const ok = namingCandidates(flow, { First: 'ann' }, clock);
    assert.deepEqual(ok.userPrincipalName, ['ann@contoso.com']);
    const bad = namingCandidates(flow, { First: 'Zoë' }, clock);
    assert.deepEqual(bad.userPrincipalName, []);
    assert.deepEqual(bad.mailNickname, []);
    assert.deepEqual(
      bad.errors.map((e) => [e.attribute, e.code]),
      [
        ['userPrincipalName', 'TENURE_ATTRIBUTE_INVALID'],
        ['mailNickname', 'TENURE_ATTRIBUTE_INVALID'],
      ],
    );
  });
});
