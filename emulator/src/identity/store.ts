// The sign-in service's own state: authorization codes, refresh tokens, browser sessions, sign-in interactions in
// progress, client-assertion ids already seen, and the automation settings. Kept as an emulator extension.
import { randomBytes } from 'node:crypto';
import type { EmulatorState } from '../state/store';
import type { ResourceName } from '../state/model';

export interface AuthorizationCode {
  tenantId: string;
  clientAppId: string;
  redirectUri: string;
  userId: string;
  /** Scopes as requested at authorize (resource scopes as given, plus OIDC scopes). */
  scopes: string[];
  /** The resource the code's access token is for when the token request names none (the first requested). */
  resource?: ResourceName;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  nonce?: string;
  authTime: number;
  expiresAt: number;
  redeemed: boolean;
}

export interface RefreshGrant {
  tenantId: string;
  clientAppId: string;
  userId: string;
  /** When the user signed in (the whole chain of refresh tokens shares it; revocation compares against it). */
  authTime: number;
  issuedAt: number;
  /** 90 days after issue: unused that long, it fails with AADSTS700082. */
  expiresAt: number;
  resource?: ResourceName;
  oidc: string[];
}

export interface BrowserSession {
  tenantId: string;
  userId: string;
  authTime: number;
}

/** A sign-in in progress: the validated authorize (or admin-consent) request, kept server side. */
export interface Interaction {
  id: string;
  kind: 'authorize' | 'adminconsent';
  /** Tenant segment of the request (id, domain, organizations or common). */
  tenantSegment: string;
  params: Record<string, string>;
  createdAt: number;
  tenantId?: string;
  userId?: string;
  authTime?: number;
}

export interface IdentitySettings {
  /** Consent pages are accepted automatically (as the signed-in user can; admin-only scopes still need an admin). */
  autoConsent: boolean;
  /** A `login_hint` alone signs the user in (no password), for automation. */
  signInWithLoginHint: boolean;
}

export class IdentityStore {
  readonly codes = new Map<string, AuthorizationCode>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  readonly sessions = new Map<string, BrowserSession>();
  readonly interactions = new Map<string, Interaction>();
  /** Client-assertion jti → expiry (epoch ms); replays are refused until the assertion would have expired. */
  readonly assertionIds = new Map<string, number>();
  readonly settings: IdentitySettings = { autoConsent: false, signInWithLoginHint: false };

  rememberAssertion(key: string, expiresAt: number, now: number): boolean {
    for (const [k, exp] of this.assertionIds) if (exp < now) this.assertionIds.delete(k);
    if (this.assertionIds.has(key)) return false;
    this.assertionIds.set(key, expiresAt);
    return true;
  }
}

export function identityStore(state: EmulatorState): IdentityStore {
  return state.extension('identity', () => new IdentityStore());
}

export function opaqueToken(prefix: string): string {
  return `${prefix}.${randomBytes(32).toString('base64url')}`;
}
