// The browser session of the sign-in service: Entra's ESTSAUTH cookie naming a server-side session.
import type { EmulatorRequest } from '../http/router';

export const SESSION_COOKIE = 'ESTSAUTH';

export function cookie(req: EmulatorRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
