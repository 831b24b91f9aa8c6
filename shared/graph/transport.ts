/**
 * The send step: the official Graph SDK client (`@microsoft/microsoft-graph-client` 3.0.7) with a middleware chain
 * of authentication + HTTP only — retries live in our executor, where batch sub-requests can be retried too.
 * Responses are taken raw so every status reaches the pure processing step.
 */
import type { TokenCredential } from '@azure/core-auth';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  ResponseType,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { TenureError } from '../engine/errors';
import type { GraphRequest, GraphResponse, GraphTransport } from './types';

export interface GraphClientOptions {
  readonly credential: TokenCredential;
  /** Graph root without version, e.g. `https://graph.microsoft.com`. */
  readonly graphBaseUrl: string;
  readonly scope: string;
  /** Non-Microsoft hosts that must receive the token (local emulator only). */
  readonly customHosts?: readonly string[];
  /** Replaces the HTTP step (tests: a fake middleware that answers requests). */
  readonly httpMiddleware?: Middleware;
}

export function createGraphSdkClient(options: GraphClientOptions): Client {
  const auth = new AuthenticationHandler(
    new TokenCredentialAuthenticationProvider(options.credential, { scopes: [options.scope] }),
  );
  return Client.initWithMiddleware({
    middleware: [auth, options.httpMiddleware ?? new HTTPMessageHandler()],
    baseUrl: options.graphBaseUrl.endsWith('/') ? options.graphBaseUrl : `${options.graphBaseUrl}/`,
    defaultVersion: 'v1.0',
    customHosts: new Set(options.customHosts ?? []),
  });
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class SdkGraphTransport implements GraphTransport {
  constructor(private readonly client: Client) {}

  async send(request: GraphRequest): Promise<GraphResponse> {
    const call = this.client
      .api(request.url)
      .headers({ ...(request.headers ?? {}) })
      .responseType(ResponseType.RAW);
    let raw: Response;
    try {
      switch (request.method) {
        case 'GET':
          raw = await call.get();
          break;
        case 'POST':
          raw = await call.post(request.body ?? {});
          break;
        case 'PATCH':
          raw = await call.patch(request.body ?? {});
          break;
        case 'PUT':
          raw = await call.put(request.body ?? {});
          break;
        case 'DELETE':
          raw = await call.delete();
          break;
      }
    } catch (cause) {
      throw new TenureError(
        'TENURE_GRAPH_NETWORK',
        `Graph ${request.method} could not be sent.`,
        {},
        { cause },
      );
    }
    const headers: Record<string, string> = {};
    raw.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
    return { status: raw.status, headers, body: await readBody(raw) };
  }
}
