// Exchange admin API throttling, driven per tenant by an admin setting so a client's retry can be tested: reject
// the next N calls, and/or allow at most N calls per window (emulator clock). The refusal is the one the
// ExchangeOnlineManagement module and community clients look for: 429, a plain-text body "You have reached the
// maximum number of concurrent requests per tenant. Please wait and try again", Rate-Limit-* headers
// (graph-spec.md §7.2, GreyCorbel/ExoHelper Invoke-ExoCommand.ps1).
import type { EmulatorContext } from '../context';
import type { EmulatorResponse } from '../http/router';
import type { Tenant } from '../state/model';
import { tenantExtension } from '../state/store';

export const THROTTLE_MESSAGE =
  'You have reached the maximum number of concurrent requests per tenant. Please wait and try again';

export interface ExchangeThrottleSettings {
  /** Refuse this many upcoming calls, then serve normally. */
  rejectNext?: number;
  /** Calls allowed per window (absent: unlimited). */
  requestsPerWindow?: number;
  /** Window length in seconds (default 60). */
  windowSeconds?: number;
  /** Retry-After on a refusal (default: the time left in the window, or 2 s for rejectNext). */
  retryAfterSeconds?: number;
}

interface ThrottleState {
  settings: ExchangeThrottleSettings;
  windowStart: number;
  count: number;
}

export function throttleState(tenant: Tenant): ThrottleState {
  return tenantExtension<ThrottleState>(tenant, 'exchange.throttling', () => ({
    settings: {},
    windowStart: 0,
    count: 0,
  }));
}

export function setThrottleSettings(
  tenant: Tenant,
  settings: ExchangeThrottleSettings,
): ExchangeThrottleSettings {
  const state = throttleState(tenant);
  state.settings = { ...settings };
  state.windowStart = 0;
  state.count = 0;
  return state.settings;
}

/** Counts the call; returns the 429 answer when it is refused, else the Rate-Limit-* headers to add (if any). */
export function admitCall(
  ctx: EmulatorContext,
  tenant: Tenant,
  requestId: string,
): { refused: EmulatorResponse } | { headers: Record<string, string> } {
  const state = throttleState(tenant);
  const { settings } = state;
  const now = ctx.state.clock.now();
  const windowMs = (settings.windowSeconds ?? 60) * 1000;
  if (now - state.windowStart >= windowMs) {
    state.windowStart = now;
    state.count = 0;
  }
  const reset = new Date(state.windowStart + windowMs).toISOString();
  const refuse = (retryAfter: number, limit: string): { refused: EmulatorResponse } => ({
    refused: {
      status: 429,
      headers: {
        'Content-Type': 'text/plain; charset=utf-8',
        'Retry-After': String(Math.max(1, Math.ceil(retryAfter))),
        'Rate-Limit-Limit': limit,
        'Rate-Limit-Remaining': '0',
        'Rate-Limit-Reset': reset,
        'request-id': requestId,
      },
      body: THROTTLE_MESSAGE,
    },
  });
  if ((settings.rejectNext ?? 0) > 0) {
    settings.rejectNext! -= 1;
    return refuse(settings.retryAfterSeconds ?? 2, String(settings.requestsPerWindow ?? 0));
  }
  if (settings.requestsPerWindow === undefined) return { headers: {} };
  if (state.count >= settings.requestsPerWindow)
    return refuse(
      settings.retryAfterSeconds ?? (state.windowStart + windowMs - now) / 1000,
      String(settings.requestsPerWindow),
    );
  state.count += 1;
  return {
    headers: {
      'Rate-Limit-Limit': String(settings.requestsPerWindow),
      'Rate-Limit-Remaining': String(settings.requestsPerWindow - state.count),
      'Rate-Limit-Reset': reset,
    },
  };
}
