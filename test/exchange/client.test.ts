// The Exchange admin API adapter with a fake fetch: request shape, paging, typed errors from the pipe-delimited
// details, and retries of throttling answers honouring Retry-After / Rate-Limit-Reset.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenCredential } from '@azure/core-auth';
import { ExchangeAdminClient, type FetchLike } from '../../shared/exchange/client';
import { AdaptiveLimiter } from '../../shared/graph/policy';
import { cmdletFailureOf, splitDetail } from '../../shared/exchange/errors';
import {
  ExchangeMailboxes,
  parseByteQuantified,
  setMailboxParameters,
} from '../../shared/exchange/mailboxes';
import { retryDelayMs } from '../../shared/exchange/policy';
import { TenureError } from '../../shared/engine/errors';
import { cmdletError, scriptedFetch, type Scripted } from './fakeFetch';

const TENANT = '11111111-2222-3333-4444-555555555555';
const NOW = Date.parse('2026-03-10T12:00:00Z');
const credential: TokenCredential = {
  getToken: async (scope) => {
    assert.deepEqual(scope, 'https://outlook.office365.com/.default');
    return { token: 'tok-123', expiresOnTimestamp: NOW + 3_600_000 };
  },
};

function client(answers: Scripted[]) {
  const { fetch, seen } = scriptedFetch(answers);
  const waits: number[] = [];
  const c = new ExchangeAdminClient({
    invokeUrl: `https://outlook.office365.com/adminapi/beta/${TENANT}/InvokeCommand`,
    tenantId: TENANT,
    scope: 'https://outlook.office365.com/.default',
    credential,
    fetch,
    sleep: async (ms) => {
      waits.push(ms);
    },
    now: () => NOW,
  });
  return { c, seen, waits };
}

async function failure(p: Promise<unknown>): Promise<TenureError> {
  try {
    await p;
  } catch (error) {
    assert.ok(error instanceof TenureError, `not a TenureError: ${String(error)}`);
    return error;
  }
  assert.fail('expected a failure');
}

const getMailbox = { cmdlet: 'Get-Mailbox', parameters: { Identity: 'u-1' } };

describe('ExchangeAdminClient requests', () => {
  it('posts CmdletInput with the bearer token, the app-only anchor mailbox and the cmdlet name', async () => {
    const { c, seen } = client([{ status: 200, body: { value: [{ Alias: 'ada' }] } }]);
    const r = await c.invoke(getMailbox);
    assert.deepEqual(r.value, [{ Alias: 'ada' }]);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.url, `https://outlook.office365.com/adminapi/beta/${TENANT}/InvokeCommand`);
    assert.equal(seen[0]!.headers.Authorization, 'Bearer tok-123');
    assert.equal(
      seen[0]!.headers['X-AnchorMailbox'],
      `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${TENANT}`,
    );
    assert.equal(seen[0]!.headers['X-CmdletName'], 'Get-Mailbox');
    assert.deepEqual(seen[0]!.body, {
      CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: { Identity: 'u-1' } },
    });
  });

  it('follows @odata.nextLink with the same body and gathers warnings', async () => {
    const next = 'https://outlook.office365.com/adminapi/beta/x/InvokeCommand?$skiptoken=1';
    const { c, seen } = client([
      { status: 200, body: { value: [{ n: 1 }], '@odata.nextLink': next, '@adminapi.warnings': ['w1'] } },
      { status: 200, body: { value: [{ n: 2 }] } },
    ]);
    const r = await c.invoke({ cmdlet: 'Get-Mailbox', parameters: {} });
    assert.deepEqual(r.value, [{ n: 1 }, { n: 2 }]);
    assert.deepEqual(r.warnings, ['w1']);
    assert.equal(seen[1]!.url, next);
    assert.deepEqual(seen[1]!.body, seen[0]!.body);
  });
});

describe('ExchangeAdminClient errors', () => {
  it('parses the pipe-delimited detail: not found', async () => {
    const { c } = client([
      {
        status: 404,
        body: cmdletError(
          'NotFound',
          "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'ada@contoso.test' couldn't be found.",
        ),
      },
    ]);
    const err = await failure(c.invoke(getMailbox));
    assert.equal(err.code, 'TENURE_EXCHANGE_NOT_FOUND');
    assert.equal(err.terminal, true);
    assert.equal(err.details.exchangeException, 'ManagementObjectNotFoundException');
    assert.equal(err.details.cmdlet, 'Get-Mailbox');
    assert.equal(
      err.message.includes('ada@contoso.test'),
      false,
      'Exchange text quoting identities is not copied',
    );
  });

  it('parses parameter binding and validation failures', async () => {
    const { c } = client([
      {
        status: 400,
        body: cmdletError(
          'BadRequest',
          "x|System.Management.Automation.ParameterBindingException|A parameter cannot be found that matches parameter name 'Nope'.",
        ),
      },
      {
        status: 400,
        body: cmdletError(
          'BadRequest',
          'y|Microsoft.Exchange.Data.DataValidationException|The proxy address is invalid.',
        ),
      },
    ]);
    assert.equal((await failure(c.invoke(getMailbox))).code, 'TENURE_EXCHANGE_PARAMETER_BINDING');
    assert.equal((await failure(c.invoke(getMailbox))).code, 'TENURE_EXCHANGE_INVALID');
  });

  it('names the fix when the app lacks Exchange.ManageAsApp, a role, or write rights', async () => {
    const { c } = client([
      {
        status: 401,
        body: {
          error: {
            code: 'Unauthorized',
            message: "The application abc doesn't have the Exchange.ManageAsApp permission.",
          },
        },
      },
      {
        status: 401,
        body: {
          error: {
            code: 'Unauthorized',
            message: "The role assigned to application abc isn't supported in this scenario.",
          },
        },
      },
      {
        status: 401,
        body: { error: { code: 'Unauthorized', message: 'User is not allowed to call Set-Mailbox' } },
      },
      { status: 401, text: '' },
    ]);
    const noPerm = await failure(c.invoke(getMailbox));
    assert.equal(noPerm.code, 'TENURE_EXCHANGE_UNAUTHORIZED');
    assert.equal(noPerm.terminal, true);
    assert.match(noPerm.message, /Exchange\.ManageAsApp/);
    assert.match((await failure(c.invoke(getMailbox))).message, /no Exchange role/);
    assert.match(
      (await failure(c.invoke({ cmdlet: 'Set-Mailbox', parameters: {} }))).message,
      /only allows reading/,
    );
    assert.match((await failure(c.invoke(getMailbox))).message, /token was refused/);
  });

  it('reads innererror.internalException, then error.message, when details are absent', () => {
    assert.deepEqual(
      cmdletFailureOf(
        JSON.stringify({ error: { innererror: { internalException: { message: 'a|B.C|m' } } } }),
      ),
      { errorId: 'a', exceptionType: 'B.C', message: 'm' },
    );
    assert.deepEqual(cmdletFailureOf(JSON.stringify({ error: { message: 'plain' } })), {
      errorId: '',
      exceptionType: '',
      message: 'plain',
    });
    assert.deepEqual(splitDetail('a|b|c|d'), { errorId: 'a', exceptionType: 'b', message: 'c|d' });
  });
});

describe('ExchangeAdminClient retries', () => {
  const concurrency =
    'You have reached the maximum number of concurrent requests per tenant. Please wait and try again';

  it('retries 429 with Retry-After seconds and the plain-text concurrency refusal', async () => {
    const { c, seen, waits } = client([
      { status: 429, text: concurrency, headers: { 'Retry-After': '7', 'Content-Type': 'text/plain' } },
      { status: 400, text: concurrency },
      { status: 200, body: { value: [] } },
    ]);
    await c.invoke(getMailbox);
    assert.equal(seen.length, 3);
    assert.deepEqual(waits, [7000, 2000]);
  });

  it('honours Rate-Limit-Reset, and backs off exponentially on 503/504/408', async () => {
    const reset = new Date(NOW + 4_500).toISOString();
    const { c, waits } = client([
      { status: 503, headers: { 'Rate-Limit-Reset': reset } },
      { status: 504 },
      { status: 408 },
      { status: 200, body: { value: [] } },
    ]);
    await c.invoke(getMailbox);
    assert.deepEqual(waits, [4500, 2000, 4000]);
  });

  it('gives up after the last attempt with TENURE_EXCHANGE_THROTTLED (transient, with the asked wait)', async () => {
    const answers: Scripted[] = Array.from({ length: 5 }, () => ({
      status: 429,
      text: concurrency,
      headers: { 'retry-after': '3' },
    }));
    const { c, seen } = client(answers);
    const err = await failure(c.invoke(getMailbox));
    assert.equal(err.code, 'TENURE_EXCHANGE_THROTTLED');
    assert.equal(err.terminal, false);
    assert.equal(err.details.retryAfterMs, 3000);
    assert.equal(seen.length, 5);
  });

  it('does not cut a long Retry-After short: one try, TENURE_EXCHANGE_THROTTLED with the asked wait', async () => {
    const { c, seen, waits } = client([
      { status: 429, text: concurrency, headers: { 'Retry-After': '120' } },
      { status: 200, body: { value: [] } },
    ]);
    const err = await failure(c.invoke(getMailbox));
    assert.equal(err.code, 'TENURE_EXCHANGE_THROTTLED');
    assert.equal(err.terminal, false);
    assert.equal(err.details.retryAfterMs, 120_000);
    assert.equal(seen.length, 1);
    assert.deepEqual(waits, []);
    // Up to the bound the asked wait is slept, never shortened; back-off without one stays bounded.
    const at60 = { status: 429, headers: { 'retry-after': '60' }, text: concurrency };
    assert.equal(retryDelayMs(at60, 1, NOW), 60_000);
    assert.equal(retryDelayMs({ status: 503, headers: {}, text: '' }, 4, NOW, { maxDelayMs: 5_000 }), 5_000);
  });

  it('does not retry cmdlet failures', () => {
    assert.equal(retryDelayMs({ status: 404, headers: {}, text: '{}' }, 1, NOW), undefined);
    assert.equal(retryDelayMs({ status: 400, headers: {}, text: '{}' }, 1, NOW), undefined);
  });

  it('wraps a credential failure without leaking it', async () => {
    const c = new ExchangeAdminClient({
      invokeUrl: 'https://x/InvokeCommand',
      tenantId: TENANT,
      scope: 's',
      credential: { getToken: async () => Promise.reject(new Error('secret-detail')) },
      fetch: scriptedFetch([]).fetch,
    });
    const err = await failure(c.invoke(getMailbox));
    assert.equal(err.code, 'TENURE_CREDENTIALS_UNAVAILABLE');
    assert.equal(err.message.includes('secret-detail'), false);
  });
});

describe('ExchangeMailboxes', () => {
  it('normalises Get-Mailbox and permissions, absorbs not found, and builds Set-Mailbox parameters', async () => {
    const { c, seen } = client([
      {
        status: 200,
        body: {
          value: [
            {
              RecipientTypeDetails: 'SharedMailbox',
              LitigationHoldEnabled: true,
              ArchiveStatus: 'Active',
              HiddenFromAddressListsEnabled: false,
              ForwardingSmtpAddress: 'smtp:boss@contoso.test',
              DeliverToMailboxAndForward: true,
              DisplayName: 'Ada',
              EmailAddresses: ['SMTP:ada@contoso.test', 'smtp:al@contoso.test'],
              PrimarySmtpAddress: 'ada@contoso.test',
            },
          ],
        },
      },
      {
        status: 200,
        body: {
          value: [
            { User: 'NT AUTHORITY\\SELF', AccessRights: ['FullAccess'], IsInherited: false },
            { User: 'Boss@contoso.test', AccessRights: ['FullAccess'], IsInherited: false },
            { User: 'inherited@contoso.test', AccessRights: ['FullAccess'], IsInherited: true },
          ],
        },
      },
      {
        status: 404,
        body: cmdletError(
          'NotFound',
          'e|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|x',
        ),
      },
    ]);
    const m = new ExchangeMailboxes(c);
    const mb = await m.getMailbox('u-1');
    assert.equal(mb?.type, 'SharedMailbox');
    assert.equal(mb?.archive, true);
    assert.equal(mb?.forwardingSmtpAddress, 'boss@contoso.test');
    assert.deepEqual(await m.fullAccessTrustees('u-1'), ['boss@contoso.test']);
    assert.equal(await m.getMailbox('nobody'), null);
    assert.equal(seen.length, 3);
    assert.deepEqual(
      setMailboxParameters('u-1', {
        type: 'Shared',
        forwardingSmtpAddress: null,
        removeEmailAddresses: ['smtp:al@x'],
      }),
      {
        Identity: 'u-1',
        Type: 'Shared',
        ForwardingSmtpAddress: null,
        EmailAddresses: { '@odata.type': '#Exchange.GenericHashTable', Remove: ['smtp:al@x'] },
      },
    );
    assert.equal(parseByteQuantified('60 GB (64,424,509,440 bytes)'), 64_424_509_440);
  });
});

describe('ExchangeAdminClient concurrency', () => {
  it("keeps at most the limiter's calls in flight and halves it on throttling", async () => {
    let inFlight = 0;
    let peak = 0;
    let throttleOnce = true;
    const fetch: FetchLike = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      const throttled = throttleOnce;
      throttleOnce = false;
      const text = throttled
        ? 'You have reached the maximum number of concurrent requests per tenant.'
        : '{"value":[]}';
      return {
        status: throttled ? 429 : 200,
        headers: { forEach: (cb: (v: string, k: string) => void) => cb('0', 'retry-after') },
        text: async () => text,
      };
    };
    const c = new ExchangeAdminClient({
      invokeUrl: 'https://x/InvokeCommand',
      tenantId: TENANT,
      scope: 'https://outlook.office365.com/.default',
      credential,
      fetch,
      sleep: async () => undefined,
      limiter: new AdaptiveLimiter(1, 8, 4),
    });
    await Promise.all(Array.from({ length: 12 }, () => c.invoke(getMailbox)));
    assert.ok(peak <= 4, `peak ${peak}`);
    assert.ok(c.limiter.limit >= 1 && c.limiter.limit <= 8);
    const throttledOnly = new AdaptiveLimiter(1, 8, 4);
    throttledOnly.onThrottle();
    assert.equal(throttledOnly.limit, 2);
  });
});
