// The runner's inputs: host.json Service Bus settings and trigger bindings as the app registers them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  HOST_DEFAULTS,
  serviceBusHostSettings,
  serviceBusTriggerFromBinding,
} from '../../../devhost/serviceBus';

describe('dev host Service Bus runner configuration', () => {
  it("reads the repository's host.json", () => {
    const hostJson = JSON.parse(
      readFileSync(join(__dirname, '..', '..', '..', '..', 'host.json'), 'utf8'),
    ) as unknown;
    const s = serviceBusHostSettings(hostJson);
    assert.equal(s.autoCompleteMessages, true);
    assert.equal(s.maxConcurrentCalls, 16);
    assert.equal(s.maxConcurrentSessions, 8);
    assert.equal(s.maxAutoLockRenewalDurationMs, 300_000);
    assert.equal(s.sessionIdleTimeoutMs, 30_000);
  });

  it('applies the host defaults and refuses malformed values', () => {
    assert.deepEqual(serviceBusHostSettings({}), HOST_DEFAULTS);
    assert.equal(
      serviceBusHostSettings({ extensions: { serviceBus: { sessionIdleTimeout: '1.00:00:01.5' } } })
        .sessionIdleTimeoutMs,
      86_401_500,
    );
    assert.throws(
      () => serviceBusHostSettings({ extensions: { serviceBus: { maxConcurrentSessions: 0 } } }),
      (e: { code?: string }) => e.code === 'DEVHOST_SERVICEBUS_CONFIG_INVALID',
    );
    assert.throws(
      () => serviceBusHostSettings({ extensions: { serviceBus: { maxAutoLockRenewalDuration: 'PT5M' } } }),
      (e: { code?: string }) => e.code === 'DEVHOST_SERVICEBUS_CONFIG_INVALID',
    );
  });

  it('turns a recorded serviceBusTrigger binding into a registration', () => {
    const handler = (): undefined => undefined;
    const reg = serviceBusTriggerFromBinding(
      'hrEvents',
      {
        type: 'serviceBusTrigger',
        direction: 'in',
        queueName: 'hr-events',
        connection: 'ServiceBusConnection',
        isSessionsEnabled: true,
        cardinality: 'many',
      },
      handler,
    );
    assert.deepEqual(
      { ...reg, handler: undefined },
      {
        name: 'hrEvents',
        queueName: 'hr-events',
        connection: 'ServiceBusConnection',
        isSessionsEnabled: true,
        cardinality: 'many',
        handler: undefined,
      },
    );
    assert.throws(
      () =>
        serviceBusTriggerFromBinding(
          't',
          { type: 'serviceBusTrigger', topicName: 'x', subscriptionName: 'y', connection: 'c' },
          handler,
        ),
      (e: { code?: string }) => e.code === 'DEVHOST_SERVICEBUS_CONFIG_INVALID',
    );
  });
});
