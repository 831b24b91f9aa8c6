/**
 * Every example from Microsoft's "Reference for writing expressions for attribute mappings in Microsoft Entra
 * ID", with its documented input and output.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, valueOf } from './helpers';

const HIRE = { StatusHireDate: '2012-03-16-07:00' };

describe("Microsoft's documented examples", () => {
  it('Append', () => {
    assert.equal(
      valueOf('Append([userPrincipalName], ".test")', { userPrincipalName: 'John.Doe@contoso.com' }),
      'John.Doe@contoso.com.test',
    );
  });
  it('BitAnd with &H literals', () => {
    assert.equal(valueOf('BitAnd(&HF, &HF7)'), 7);
  });
  it('CBool of a comparison', () => {
    assert.equal(valueOf('CBool([attribute1] = [attribute2])', { attribute1: 'x', attribute2: 'x' }), true);
    assert.equal(valueOf('CBool([attribute1] = [attribute2])', { attribute1: 'x', attribute2: 'y' }), false);
  });
  it('CDate returns the UTC equivalent in M/d/yyyy h:mm:ss tt', () => {
    assert.equal(
      valueOf('CDate([StatusHireDate])', { StatusHireDate: '2020-03-16-07:00' }),
      '3/16/2020 7:00:00 AM',
    );
    assert.equal(valueOf('CDate("2021-06-30+08:00")'), '6/29/2021 4:00:00 PM');
    assert.equal(valueOf('CDate("2009-06-15T01:45:30-07:00")'), '6/15/2009 8:45:30 AM');
  });
  it('Coalesce', () => {
    assert.equal(
      valueOf('Coalesce([mail],[userPrincipalName])', {
        mail: null,
        userPrincipalName: 'John.Doe@contoso.com',
      }),
      'John.Doe@contoso.com',
    );
  });
  it('ConvertToBase64 (UTF-16LE)', () => {
    assert.equal(valueOf('ConvertToBase64("Hello world!")'), 'SABlAGwAbABvACAAdwBvAHIAbABkACEA');
  });
  it('ConvertToUTF8Hex', () => {
    assert.equal(valueOf('ConvertToUTF8Hex("Hello world!")'), '48656C6C6F20776F726C6421');
  });
  it('CStr', () => {
    assert.equal(valueOf('CStr([dn])', { dn: 'cn=Joe,dc=contoso,dc=com' }), 'cn=Joe,dc=contoso,dc=com');
  });
  it('DateAdd table', () => {
    assert.equal(valueOf('DateAdd("d", 7, CDate([StatusHireDate]))', HIRE), '3/23/2012 7:00:00 AM');
    assert.equal(valueOf('DateAdd("d", -10, CDate([StatusHireDate]))', HIRE), '3/6/2012 7:00:00 AM');
    assert.equal(valueOf('DateAdd("ww", 2, CDate([StatusHireDate]))', HIRE), '3/30/2012 7:00:00 AM');
    assert.equal(valueOf('DateAdd("m", 10, CDate([StatusHireDate]))', HIRE), '1/16/2013 7:00:00 AM');
    assert.equal(valueOf('DateAdd("yyyy", 2, CDate([StatusHireDate]))', HIRE), '3/16/2014 7:00:00 AM');
  });
  it('DateDiff table (Now() frozen at 8/25/2021 5:41:18 PM)', () => {
    assert.equal(valueOf('DateDiff("d", CDate("2021-08-18+08:00"), CDate("2021-08-31+08:00"))'), 13);
    assert.equal(valueOf('DateDiff("d", Now(), CDate([StatusHireDate]))', HIRE), -3449);
    assert.equal(valueOf('DateDiff("ww", Now(), CDate([StatusHireDate]))', HIRE), -493);
    assert.equal(valueOf('DateDiff("m", Now(), CDate([StatusHireDate]))', HIRE), -113);
    assert.equal(valueOf('DateDiff("yyyy", Now(), CDate([StatusHireDate]))', HIRE), -9);
    assert.equal(valueOf('DateDiff("d", CDate("2021-08-31+08:00"), CDate("2021-08-31+08:00"))'), 0);
    assert.equal(valueOf('DateDiff("h", CDate("2021-08-24"), CDate("2021-08-25"))'), 24);
    assert.equal(valueOf('DateDiff("n", CDate("2021-08-24"), CDate("2021-08-25"))'), 1440);
    assert.equal(valueOf('DateDiff("s", CDate("2021-08-24"), CDate("2021-08-25"))'), 86400);
  });
  it('DateDiff combined with IIF and Switch (example 2)', () => {
    const expr =
      'Switch([Active], , "1", IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True"), "0", "False")';
    assert.equal(valueOf(expr, { Active: '1', StatusHireDate: '2021-08-28' }), 'True');
    assert.equal(valueOf(expr, { Active: '1', StatusHireDate: '2021-09-30' }), 'False');
    assert.equal(valueOf(expr, { Active: '0', StatusHireDate: '2021-08-28' }), 'False');
    assert.equal(evaluate(expr, { Active: '2', StatusHireDate: '2021-08-28' }).kind, 'skip');
  });
  it('DateFromNum: January 1, 2012 at 11:00 PM', () => {
    assert.equal(valueOf('DateFromNum(129699324000000000)'), '1/1/2012 11:00:00 PM');
    assert.equal(
      valueOf('DateFromNum([lastLogonTimestamp])', { lastLogonTimestamp: '129699324000000000' }),
      '1/1/2012 11:00:00 PM',
    );
  });
  it('FormatDateTime', () => {
    assert.equal(
      valueOf('FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")', {
        extensionAttribute1: '20150123105347.1Z',
      }),
      '2015-01-23',
    );
  });
  it('Guid has the documented shape', () => {
    assert.match(
      String(valueOf('Guid()')),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
  it('IgnoreFlowIfNullOrEmpty examples', () => {
    assert.equal(evaluate('IgnoreFlowIfNullOrEmpty([department])', {}).kind, 'skip');
    assert.equal(evaluate('IgnoreFlowIfNullOrEmpty([department])', { department: '' }).kind, 'skip');
    const sw =
      'IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))';
    assert.equal(valueOf(sw, { prefix: '3444' }), 'Prof.');
    assert.equal(evaluate(sw, { prefix: '9999' }).kind, 'skip');
  });
  it('IIF, including the nested AND / OR workarounds', () => {
    assert.equal(
      valueOf('IIF([country]="USA",[country],[department])', { country: 'USA', department: 'Sales' }),
      'USA',
    );
    assert.equal(
      valueOf('IIF([country]="USA",[country],[department])', { country: 'FR', department: 'Sales' }),
      'Sales',
    );
    const and = 'IIF([country]="USA",IIF([state]="CA","True","False"),"False")';
    assert.equal(valueOf(and, { country: 'USA', state: 'CA' }), 'True');
    assert.equal(valueOf(and, { country: 'USA', state: 'WA' }), 'False');
    const or = 'IIF([country]="USA","True",IIF([state]="CA","True","False"))';
    assert.equal(valueOf(or, { country: 'FR', state: 'CA' }), 'True');
    assert.equal(valueOf(or, { country: 'FR', state: 'WA' }), 'False');
  });
  it('Switch workaround for empty values', () => {
    assert.equal(valueOf('Switch([country],[country],"","Other")', { country: '' }), 'Other');
    assert.equal(valueOf('Switch([country],[country],"","Other")', {}), 'Other');
    assert.equal(valueOf('Switch([country],[country],"","Other")', { country: 'NZ' }), 'NZ');
  });
  it('InStr', () => {
    assert.equal(valueOf('InStr("The quick brown fox","quick")'), 5);
    assert.equal(valueOf('InStr("repEated","e",3,vbBinaryCompare)'), 7);
  });
  it('IsNull / IsNullOrEmpty / IsPresent', () => {
    assert.equal(valueOf('IsNull([displayName])', {}), true);
    assert.equal(valueOf('IsNull([displayName])', { displayName: '' }), false);
    assert.equal(valueOf('IsNullOrEmpty([displayName])', { displayName: '' }), true);
    assert.equal(valueOf('IsPresent([displayName])', { displayName: 'x' }), true);
    const sw =
      'Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])';
    assert.equal(valueOf(sw, { directManager: 'M1', skiplevelManager: 'M2', director: 'D' }), 'M2');
  });
  it('Item is 1-based', () => {
    assert.equal(
      valueOf('Item([proxyAddresses], 1)', { proxyAddresses: ['SMTP:a@x', 'smtp:b@x'] }),
      'SMTP:a@x',
    );
  });
  it('Join skips empty values', () => {
    assert.equal(
      valueOf('Join(", ", "", [surname], [givenName])', { givenName: 'John', surname: 'Doe' }),
      'Doe, John',
    );
    assert.equal(valueOf('Join(",", [proxyAddresses], "x")', { proxyAddresses: ['a', 'b'] }), 'a,b,x');
  });
  it('Left', () => {
    assert.equal(valueOf('Left("John Doe", 3)'), 'Joh');
  });
  it('Mid and the alias example', () => {
    assert.equal(
      valueOf('Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))', { givenName: 'John', surname: 'Doe' }),
      'JohDoe',
    );
  });
  it('NormalizeDiacritics', () => {
    assert.equal(valueOf('NormalizeDiacritics([givenName])', { givenName: 'Zoë' }), 'Zoe');
  });
  it('NumFromDate (Workday and SuccessFactors examples)', () => {
    const workday =
      'NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))';
    // 2020-12-31 23:59:59 -08:00 = 2021-01-01T07:59:59Z as a Windows FILETIME.
    assert.equal(valueOf(workday, { ContractEndDate: '2020-12-31-08:00' }), '132539615990000000');
    const sf =
      'NumFromDate(Join("",FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")," 23:59:59-08:00"))';
    assert.equal(valueOf(sf, { endDate: '12/31/2020 10:00:00 AM' }), '132539615990000000');
  });
  it('Now', () => {
    assert.equal(valueOf('Now()', {}, { now: new Date('2021-07-02T15:33:38Z') }), '7/2/2021 3:33:38 PM');
  });
  it('PCase table', () => {
    assert.equal(
      valueOf('PCase([firstName])', { firstName: 'PABLO GONSALVES (SECOND)' }),
      'Pablo Gonsalves (Second)',
    );
    assert.equal(valueOf('PCase([lastName]," \'-")', { lastName: "PINTO-DE'SILVA" }), "Pinto-De'Silva");
    assert.equal(
      valueOf('PCase(Join(" ",[firstName],[lastName]))', { firstName: 'GREGORY', lastName: 'JAMES' }),
      'Gregory James',
    );
  });
  it('RandomString examples meet their constraints', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const a = String(valueOf('RandomString(6,3,0,0,3)', {}, { seed }));
      assert.equal(a.length, 6);
      assert.equal(a.replace(/[^0-9]/g, '').length, 3);
      assert.equal(a.replace(/[^a-z]/g, '').length, 3);
      const b = String(valueOf('RandomString(10,2,2,2,1,"?,")', {}, { seed }));
      assert.equal(b.length, 10);
      assert.ok(b.replace(/[^0-9]/g, '').length >= 2);
      assert.ok(b.replace(/[A-Za-z0-9]/g, '').length >= 2);
      assert.ok(b.replace(/[^A-Z]/g, '').length >= 2);
      assert.ok(b.replace(/[^a-z]/g, '').length >= 1);
      assert.ok(!b.includes('?') && !b.includes(','));
    }
  });
  it('Redact flows the value and marks it', () => {
    const r = evaluate('Redact([userPrincipalName])', { userPrincipalName: 'a@b' });
    assert.deepEqual(r, { kind: 'value', value: 'a@b', redacted: true });
    assert.equal(evaluate('Redact("StringToBeRedacted")').redacted, true);
    assert.equal(evaluate('Redact(RandomString(6,3,0,0,3))').redacted, true);
  });
  it('RemoveDuplicates', () => {
    assert.deepEqual(valueOf('RemoveDuplicates([proxyAddresses])', { proxyAddresses: ['a', 'b', 'a'] }), [
      'a',
      'b',
    ]);
  });
  it('Replace examples 1-6 and the domain-stripping example', () => {
    assert.equal(
      valueOf('Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )', {
        BusinessTitle: 'Product Developer',
      }),
      'Software Engineer',
    );
    assert.equal(
      valueOf('Replace([UserID],"<username>", , , , , "<username>@contoso.com")', { UserID: 'jsmith' }),
      'jsmith@contoso.com',
    );
    assert.equal(
      valueOf(
        'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", , "${phoneNumber}", , )',
        { telephoneNumber: '+91 9998887777' },
      ),
      '9998887777',
    );
    // Microsoft's page prints 19998887777, but the pattern does not remove "+" (neither does .NET's Regex).
    assert.equal(
      valueOf('Replace([mobile], , "[()\\\\s-]+", , "", , )', { mobile: '+1 (999) 888-7777' }),
      '+19998887777',
    );
    assert.equal(
      valueOf('Replace([AddressLineData], ,"(?<streetNumber>^\\\\d*)","streetNumber", "888", , )', {
        AddressLineData: '545 Tremont Street',
      }),
      '888 Tremont Street',
    );
    assert.equal(
      valueOf('Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )', {
        userPrincipalName: 'jsmith@contoso.com',
      }),
      'jsmith',
    );
    assert.equal(
      valueOf(
        'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", "phoneNumber" , , [mobile], )',
        {
          telephoneNumber: '',
          mobile: '+91 8887779999',
        },
      ),
      '8887779999',
    );
    assert.equal(
      valueOf('Replace([mailNickname], , "[a-zA-Z_]*", , "", , )', { mailNickname: 'john_doe72' }),
      '72',
    );
    assert.equal(
      valueOf('Replace([mail], "@contoso.com", , ,"", ,)', { mail: 'john.doe@contoso.com' }),
      'john.doe',
    );
  });
  it('SelectUniqueValue picks the first candidate not taken', () => {
    const expr = `SelectUniqueValue(
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"),
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"),
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), "contoso.com")
    )`;
    const rec = { PreferredFirstName: 'John', PreferredLastName: 'Smith' };
    assert.equal(valueOf(expr, rec, { taken: [] }), 'John.Smith@contoso.com');
    assert.equal(valueOf(expr, rec, { taken: ['John.Smith@contoso.com'] }), 'J.Smith@contoso.com');
    assert.equal(
      valueOf(expr, rec, { taken: ['John.Smith@contoso.com', 'J.Smith@contoso.com'] }),
      'Jo.Smith@contoso.com',
    );
  });
  it('Split', () => {
    assert.deepEqual(
      valueOf('Split([extensionAttribute5], ",")', {
        extensionAttribute5: 'PermissionSetOne, PermissionSetTwo',
      }),
      ['PermissionSetOne', 'PermissionSetTwo'],
    );
  });
  it('Switch (time zone by state)', () => {
    const expr =
      'Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")';
    assert.equal(valueOf(expr, { state: 'QLD' }), 'Australia/Brisbane');
    assert.equal(valueOf(expr, { state: 'WA' }), 'Australia/Sydney');
    assert.equal(
      valueOf('Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")', { statusFlag: 'TRUE' }),
      '1',
    );
    assert.equal(
      valueOf('Switch([statusFlag], "Default Value", "true", "1", "", "0")', { statusFlag: '' }),
      '0',
    );
  });
  it('ToLower (UPN example) and ToUpper', () => {
    const expr =
      'ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))';
    assert.equal(
      valueOf(expr, { PreferredFirstName: 'John', PreferredLastName: 'Smith' }),
      'john.smith@contoso.com',
    );
    assert.equal(valueOf('ToUpper("john doe")'), 'JOHN DOE');
  });
  it('Word', () => {
    assert.equal(valueOf('Word("The quick brown fox",3," ")'), 'brown');
    assert.equal(valueOf('Word("This,string!has&many separators",3,",!&#")'), 'has');
  });
  it('string constants with escaped quotes and backslashes', () => {
    assert.equal(valueOf('Append("Company name: \\"Contoso\\"", "")'), 'Company name: "Contoso"');
    assert.equal(valueOf('Append("a\\\\b", "")'), 'a\\b');
  });
});
