import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applySettings,
  BindingExpressionError,
  resolveBindingExpressions,
} from '../../devhost/bindingExpressions';
import type { LoadedApp } from '../../devhost/loadApp';

test('%NAME% in a binding property is replaced by the app setting', () => {
  const b = resolveBindingExpressions(
    'f',
    { type: 'serviceBusTrigger', direction: 'in', queueName: '%Q%-x', connection: 'SB' },
    { Q: 'hr-events' },
  );
  assert.equal(b.queueName, 'hr-events-x');
  assert.equal(b.connection, 'SB');
});

test('a missing setting stops the function from starting, naming the setting', () => {
  assert.throws(
    () =>
      resolveBindingExpressions(
        'reconcileWorker',
        { type: 'serviceBusTrigger', direction: 'in', queueName: '%TENURE_HR_QUEUE%' },
        {},
      ),
    (e: unknown) => e instanceof BindingExpressionError && /reconcileWorker.*TENURE_HR_QUEUE/.test(e.message),
  );
});

test('AzureWebJobs.<name>.Disabled=true leaves a function out', () => {
  const app: LoadedApp = {
    functions: [
      {
        name: 'a',
        bindings: { t: { type: 'timerTrigger', direction: 'in', schedule: '%S%' } },
        handler: () => undefined,
      },
      {
        name: 'b',
        bindings: { t: { type: 'timerTrigger', direction: 'in', schedule: '0 * * * * *' } },
        handler: () => undefined,
      },
    ],
    hooks: [],
    trigger: (f) => f.bindings.t!,
  };
  const applied = applySettings(app, { 'AzureWebJobs.a.Disabled': 'True' });
  assert.deepEqual(
    applied.functions.map((f) => f.name),
    ['b'],
  );
});
