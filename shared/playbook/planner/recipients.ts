// Recipients of a step as addresses: `manager` becomes the manager's UPN (Exchange trustees) or mail (forwarding).
import type { ObservedManager } from '../model';
import type { Recipient } from '../steps';

export function trusteeOf(r: Recipient, manager: ObservedManager | null): string | null {
  return r === 'manager' ? (manager?.userPrincipalName ?? null) : r.address;
}

export function mailOf(r: Recipient, manager: ObservedManager | null): string | null {
  return r === 'manager' ? (manager?.mail ?? null) : r.address;
}

/** Distinct, lower-cased, in the flow's order; recipients that cannot be resolved are counted in `missing`. */
export function resolveAll(
  list: readonly Recipient[],
  resolve: (r: Recipient) => string | null,
): { addresses: string[]; missing: number } {
  const addresses: string[] = [];
  let missing = 0;
  for (const r of list) {
    const a = resolve(r)?.toLowerCase();
    if (!a) missing++;
    else if (!addresses.includes(a)) addresses.push(a);
  }
  return { addresses, missing };
}
