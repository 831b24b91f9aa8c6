// The Key Vault service: every route runs the same envelope — bearer check and access list, api-version check,
// due certificate renewals, then the handler — and every answer carries Key Vault's headers and error format.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context';
import type { EmulatorRequest, EmulatorResponse } from '../http/router';
import { Router } from '../http/router';
import type { ServiceDefinition } from '../services';
import { authorize, type Caller } from './auth';
import { KeyVaultError, badParameter } from './errors';
import { vaultOf, type Vault } from './vault';

/** The api-versions the emulated vault answers (the SDKs pinned here send 2025-07-01). */
const API_VERSION = /^(7\.[0-6](-preview(\.\d+)?)?|2016-10-01|2025-07-01|2025-06-01-preview)$/;
export const SERVICE_VERSION = '1.9.2654.1';

export interface Call {
  ctx: EmulatorContext;
  vault: Vault;
  req: EmulatorRequest;
  /** The vault URL ids are built on (https://127.0.0.1:port). */
  base: string;
  apiVersion: string;
  now: number;
  caller: Caller;
}

export type KvHandler = (call: Call) => Promise<EmulatorResponse> | EmulatorResponse;

/** Runs before every handler (certificate lifetime actions against the emulator clock). */
export type Housekeeping = (ctx: EmulatorContext, vault: Vault) => Promise<void>;

export class KeyVaultRoutes {
  readonly router = new Router();
  readonly #housekeeping: Housekeeping[] = [];
  /** Housekeeping runs one at a time, so concurrent requests cannot renew the same certificate twice. */
  #housekeepingDone: Promise<void> = Promise.resolve();

  constructor(readonly ctx: EmulatorContext) {}

  beforeEach(task: Housekeeping): void {
    this.#housekeeping.push(task);
  }

  /** `permission` is what a 403 names ("secrets get", "keys sign", …). */
  add(method: string, path: string, permission: string, handler: KvHandler): void {
    this.router.add(method, path, async (req, res) => {
      const requestId = randomUUID();
      try {
        const vault = vaultOf(this.ctx);
        const caller = authorize(this.ctx, vault, req, permission);
        tagLog(res, caller);
        const apiVersion = checkApiVersion(req);
        await this.#runHousekeeping(vault);
        const answer = await handler({
          ctx: this.ctx,
          vault,
          req,
          base: this.ctx.endpoints.keyVault,
          apiVersion,
          now: this.ctx.state.clock.now(),
          caller,
        });
        return withHeaders(answer, requestId);
      } catch (error) {
        if (error instanceof KeyVaultError) return withHeaders(error.toResponse(), requestId);
        throw error;
      }
    });
  }

  #runHousekeeping(vault: Vault): Promise<void> {
    const run = this.#housekeepingDone.then(async () => {
      for (const task of this.#housekeeping) await task(this.ctx, vault);
    });
    // A failed run must not block later requests; the request that ran it sees the error.
    this.#housekeepingDone = run.catch(() => undefined);
    return run;
  }

  definition(): ServiceDefinition {
    return {
      name: 'keyvault',
      router: this.router,
      notFound: (req) => {
        // Key Vault challenges before it looks at the path.
        const vault = vaultOf(this.ctx);
        try {
          authorize(this.ctx, vault, req, 'access');
        } catch (error) {
          if (error instanceof KeyVaultError && error.status === 401)
            return withHeaders(error.toResponse(), randomUUID());
        }
        return withHeaders(
          new KeyVaultError(
            404,
            'NotFound',
            `The requested operation ${req.method} ${req.path} is not supported.`,
          ).toResponse(),
          randomUUID(),
        );
      },
      internalError: (req, error) => {
        void req;
        const message = error instanceof Error ? error.message : String(error);
        return withHeaders(new KeyVaultError(500, 'InternalServerError', message).toResponse(), randomUUID());
      },
    };
  }
}

function checkApiVersion(req: EmulatorRequest): string {
  const v = req.query.get('api-version');
  if (!v) throw badParameter('The request URI contains an invalid or missing api-version.');
  if (!API_VERSION.test(v))
    throw badParameter(
      `The specified version (${v}) is not recognized. Consider using the latest supported version (2025-07-01).`,
    );
  return v;
}

function withHeaders(answer: EmulatorResponse, requestId: string): EmulatorResponse {
  return {
    ...answer,
    headers: {
      'Cache-Control': 'no-cache',
      'x-ms-request-id': requestId,
      'x-ms-keyvault-service-version': SERVICE_VERSION,
      'x-ms-keyvault-region': 'local',
      'x-ms-keyvault-network-info': 'conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;',
      ...(answer.headers ?? {}),
    },
  };
}

function tagLog(res: ServerResponse, caller: Caller): void {
  res.setHeader('x-emulator-tenant', caller.tenantId);
  if (caller.appId) res.setHeader('x-emulator-app', caller.appId);
}
