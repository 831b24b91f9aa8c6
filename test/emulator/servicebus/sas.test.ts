// The namespace's SAS check, on tokens built the way @azure/core-amqp builds them.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { audienceCovers, audiencePath, checkSasToken } from '../../../emulator/src/servicebus/sas';

const key = { keyName: 'RootManageSharedAccessKey', key: 'SAS_KEY_VALUE' };

function token(audience: string, expirySeconds: number, keyName = key.keyName, secret = key.key): string {
  const sr = encodeURIComponent(audience);
  const sig = encodeURIComponent(
    createHmac('sha256', secret).update(`${sr}\n${expirySeconds}`).digest('base64'),
  );
  return `SharedAccessSignature sr=${sr}&sig=${sig}&se=${expirySeconds}&skn=${encodeURIComponent(keyName)}`;
}

describe('Service Bus SAS tokens', () => {
  const now = Date.now();
  const future = Math.floor(now / 1000) + 3600;

  it('accepts a token signed with the namespace key', () => {
    const check = checkSasToken(token('sb://127.0.0.1:5300/hr-events', future), key, now);
    assert.deepEqual(check, {
      ok: true,
      audience: 'sb://127.0.0.1:5300/hr-events',
      expiresAt: future * 1000,
    });
  });

  it('refuses a wrong key, an unknown key name, an expired token and a malformed one', () => {
    const reasons = [
      checkSasToken(token('sb://h/q', future, key.keyName, 'other'), key, now),
      checkSasToken(token('sb://h/q', future, 'SendOnly'), key, now),
      checkSasToken(token('sb://h/q', Math.floor(now / 1000) - 1), key, now),
      checkSasToken('Bearer abc', key, now),
      checkSasToken('SharedAccessSignature sr=x&se=1', key, now),
    ].map((c) => (c.ok ? 'ok' : c.reason.split(':')[0]));
    assert.deepEqual(reasons, [
      'InvalidSignature',
      'InvalidSignature',
      'ExpiredToken',
      'InvalidToken',
      'InvalidToken',
    ]);
  });

  it('lets a namespace or entity token cover the entity and what is under it, nothing else', () => {
    assert.equal(audiencePath('sb://127.0.0.1:5300/'), '');
    assert.equal(audiencePath('sb://127.0.0.1:5300/Q1/$management'), 'q1/$management');
    assert.equal(audienceCovers('', 'q1'), true);
    assert.equal(audienceCovers('q1', 'q1/$DeadLetterQueue'), true);
    assert.equal(audienceCovers('q1', 'q10'), false);
  });
});
