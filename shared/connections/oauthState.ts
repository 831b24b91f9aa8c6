/**
 * OAuth state for "Link Account": single use, 10 minutes, bound to one connection and to the admin's browser.
 * The browser gets a random nonce in an HttpOnly cookie; the table keeps only hashes (of the state and of the
 * nonce) plus the PKCE verifier, and the row is deleted on first use under its etag, so a replay finds nothing.
 */
import type { TableClient } from '@azure/data-tables';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConnectionError } from './errors';

export const STATE_LIFETIME_MS = 10 * 60_000;
export const BROWSER_COOKIE = 'tenure_oauth';

export interface PendingAuthorization {
  /** What goes into the authorize URL's `state`. */
  state: string;
  /** What goes into the HttpOnly cookie. */
  browserNonce: string;
  codeVerifier: string;
  codeChallenge: string;
}

export interface ConsumedState {
  connectionId: string;
  codeVerifier: string;
  purpose: 'link' | 'admin-consent';
}

interface StateEntity {
  partitionKey: string;
  rowKey: string;
  connectionId: string;
  codeVerifier: string;
  browserHash: string;
  purpose: 'link' | 'admin-consent';
  expiresAt: number;
  etag?: string;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('base64url');

/** RFC 7636: a 43-128 character verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: sha256(verifier) };
}

export interface OAuthStateStore {
  create(connectionId: string, purpose: ConsumedState['purpose'], now: Date): Promise<PendingAuthorization>;
  /** Validates and deletes; TENURE_OAUTH_STATE_INVALID for unknown, used, expired or other-browser states. */
  consume(state: string, browserNonce: string | undefined, now: Date): Promise<ConsumedState>;
  /** Deletes states that expired unused (sign-ins never finished); returns how many. */
  purgeExpired?(now: Date): Promise<number>;
}

export function tableOAuthStateStore(table: () => Promise<TableClient>): OAuthStateStore {
  const invalid = (why: string): ConnectionError =>
    new ConnectionError(
      'TENURE_OAUTH_STATE_INVALID',
      `The sign-in could not be matched to a request from this browser (${why}). Start Link Account again.`,
    );
  return {
    async create(connectionId, purpose, now) {
      const state = randomBytes(32).toString('base64url');
      const browserNonce = randomBytes(32).toString('base64url');
      const { verifier, challenge } = pkcePair();
      const entity: StateEntity = {
        partitionKey: 'state',
        rowKey: sha256(state),
        connectionId,
        codeVerifier: verifier,
        browserHash: sha256(browserNonce),
        purpose,
        expiresAt: now.getTime() + STATE_LIFETIME_MS,
      };
      await (await table()).createEntity(entity);
      return { state, browserNonce, codeVerifier: verifier, codeChallenge: challenge };
    },
    async purgeExpired(now) {
      const client = await table();
      let purged = 0;
      // Few rows (sign-ins in progress); compared here rather than in an OData filter on a numeric column.
      for await (const e of client.listEntities<StateEntity>({
        queryOptions: { filter: `PartitionKey eq 'state'` },
      })) {
        if (!(Number(e.expiresAt) < now.getTime())) continue;
        await client.deleteEntity('state', e.rowKey!, { etag: e.etag }).then(
          () => purged++,
          () => undefined, // consumed meanwhile
        );
      }
      return purged;
    },
    async consume(state, browserNonce, now) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(state)) throw invalid('malformed state');
      const client = await table();
      let entity: StateEntity;
      try {
        entity = await client.getEntity<StateEntity>('state', sha256(state));
      } catch {
        throw invalid('unknown or already used state');
      }
      try {
        // Single use: only the first caller deletes it.
        await client.deleteEntity('state', entity.rowKey, { etag: entity.etag });
      } catch {
        throw invalid('already used state');
      }
      if (entity.expiresAt < now.getTime()) throw invalid('expired state');
      const expected = Buffer.from(entity.browserHash);
      const given = Buffer.from(sha256(browserNonce ?? ''));
      if (!browserNonce || expected.length !== given.length || !timingSafeEqual(expected, given))
        throw invalid('state from another browser');
      return {
        connectionId: entity.connectionId,
        codeVerifier: entity.codeVerifier,
        purpose: entity.purpose,
      };
    },
  };
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
