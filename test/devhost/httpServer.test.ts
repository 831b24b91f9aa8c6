// The dev host's HTTP front: routes, auth levels with the function key, the package's own request objects,
// cookies, and the host's answers for unknown routes and failing handlers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { startHttpHost, type HttpHost } from '../../devhost/httpServer';
import type { LoadedApp, RegisteredFunction } from '../../devhost/loadApp';
import type { Logger } from '../../devhost/logger';

const seen: { request: unknown; context: unknown }[] = [];

function httpFunction(
  name: string,
  route: string,
  methods: string[],
  authLevel: string,
  handler: RegisteredFunction['handler'],
): RegisteredFunction {
  return {
    name,
    bindings: {
      req: { type: 'httpTrigger', direction: 'in', route, methods, authLevel },
      $return: { type: 'http', direction: 'out' },
    },
    handler,
  };
}

const app: LoadedApp = {
  functions: [
    httpFunction('echo', 'things/{id}/{part?}', ['GET', 'POST'], 'function', async (req, ctx) => {
      seen.push({ request: req, context: ctx });
      const r = req as HttpRequest;
      const text = await r.text();
      return {
        status: 200,
        jsonBody: {
          params: r.params,
          query: r.query.get('q'),
          body: text,
          fn: (ctx as InvocationContext).functionName,
        },
      };
    }),
    httpFunction('open', 'open', ['GET'], 'anonymous', async () => ({
      status: 302,
      headers: { location: '/elsewhere' },
      cookies: [
        {
          name: 'state',
          value: 'abc',
          httpOnly: true,
          secure: true,
          sameSite: 'Lax',
          path: '/api',
          maxAge: 600,
        },
      ],
    })),
    httpFunction('boom', 'boom', ['GET'], 'anonymous', async () => {
      throw new Error('handler failed');
    }),
  ],
  hooks: [],
  trigger: (fn) => fn.bindings.req!,
};

const logs: string[] = [];
const logger: Logger = {
  info: (m) => logs.push(m),
  functionLog: (n, l, a) => logs.push(`${n} ${l} ${a.map(String).join(' ')}`),
  request: () => {},
};
let host: HttpHost;
const KEY = 'test-function-key';

before(async () => {
  host = await startHttpHost(app, { host: '127.0.0.1', port: 0, functionKey: KEY, logger });
});
after(() => host.close());

test('a function-level route needs the key, in the header or as ?code=', async () => {
  assert.equal((await fetch(`${host.url}/api/things/1`)).status, 401);
  assert.equal(
    (await fetch(`${host.url}/api/things/1`, { headers: { 'x-functions-key': 'wrong' } })).status,
    401,
  );
  assert.equal((await fetch(`${host.url}/api/things/1?code=${KEY}`)).status, 200);
  assert.equal(
    (await fetch(`${host.url}/api/things/1`, { headers: { 'x-functions-key': KEY } })).status,
    200,
  );
});

test('route parameters, optional segments, query and body reach the handler as HttpRequest', async () => {
  seen.length = 0;
  const res = await fetch(`${host.url}/api/things/42/detail%20x?q=hello`, {
    method: 'POST',
    headers: { 'x-functions-key': KEY },
    body: 'payload',
  });
  assert.deepEqual(await res.json(), {
    params: { id: '42', part: 'detail x' },
    query: 'hello',
    body: 'payload',
    fn: 'echo',
  });
  assert.ok(seen[0]?.request instanceof HttpRequest);
  assert.ok(seen[0]?.context instanceof InvocationContext);
});

test('unknown routes and methods the function does not take answer 404', async () => {
  assert.equal((await fetch(`${host.url}/api/nothing`)).status, 404);
  assert.equal((await fetch(`${host.url}/api/open`, { method: 'DELETE' })).status, 404);
});

test('redirects and cookies are written as the handler set them', async () => {
  const res = await fetch(`${host.url}/api/open`, { redirect: 'manual' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/elsewhere');
  assert.equal(
    res.headers.get('set-cookie'),
    'state=abc; Path=/api; Max-Age=600; Secure; HttpOnly; SameSite=Lax',
  );
});

test('a handler that throws gives 500 and a log line, not the error text', async () => {
  const res = await fetch(`${host.url}/api/boom`);
  assert.equal(res.status, 500);
  assert.equal(await res.text(), '');
  assert.ok(logs.some((l) => l.startsWith('boom error')));
});
