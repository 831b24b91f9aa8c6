// The emulator's one vault: three soft-deletable collections (names are case-insensitive, as in Key Vault), the
// access list and settings. Lives in EmulatorState.extension('keyvault').
import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from '../context';
import { SeedError } from '../state/seed';
import type { CertificateEntry, Deleted, KeyEntry, SecretEntry } from './model';

/** Key Vault's default soft-delete retention. */
export const RECOVERABLE_DAYS = 90;
export const RECOVERY_LEVEL = 'Recoverable+Purgeable';
const DAY_MS = 86_400_000;

export class SoftDeleteCollection<T extends { name: string }> {
  readonly active = new Map<string, T>();
  readonly deleted = new Map<string, Deleted<T>>();

  get(name: string): T | undefined {
    return this.active.get(name.toLowerCase());
  }

  set(entry: T): void {
    this.active.set(entry.name.toLowerCase(), entry);
  }

  getDeleted(name: string, now: number): Deleted<T> | undefined {
    this.purgeExpired(now);
    return this.deleted.get(name.toLowerCase());
  }

  softDelete(name: string, now: number): Deleted<T> | undefined {
    const entry = this.get(name);
    if (!entry) return undefined;
    this.active.delete(name.toLowerCase());
    const deleted = { entry, deletedDate: now, scheduledPurgeDate: now + RECOVERABLE_DAYS * DAY_MS };
    this.deleted.set(name.toLowerCase(), deleted);
    return deleted;
  }

  recover(name: string): T | undefined {
    const deleted = this.deleted.get(name.toLowerCase());
    if (!deleted) return undefined;
    this.deleted.delete(name.toLowerCase());
    this.set(deleted.entry);
    return deleted.entry;
  }

  purge(name: string): boolean {
    return this.deleted.delete(name.toLowerCase());
  }

  /** Objects past their scheduled purge date are gone for good (emulator clock). */
  purgeExpired(now: number): void {
    for (const [k, d] of this.deleted) if (d.scheduledPurgeDate <= now) this.deleted.delete(k);
  }

  list(): T[] {
    return [...this.active.values()];
  }

  listDeleted(now: number): Deleted<T>[] {
    this.purgeExpired(now);
    return [...this.deleted.values()];
  }
}

export interface VaultSettings {
  /** How long a self-signed certificate request stays "inProgress" (emulator clock); 0 = done at the first poll. */
  selfSignedIssuanceMs: number;
}

export class Vault {
  readonly secrets = new SoftDeleteCollection<SecretEntry>();
  readonly keys = new SoftDeleteCollection<KeyEntry>();
  readonly certificates = new SoftDeleteCollection<CertificateEntry>();
  /** Object ids allowed by the vault's access policy; 'any' = every principal of the vault's tenant. */
  access: Set<string> | 'any';
  readonly settings: VaultSettings = { selfSignedIssuanceMs: 0 };
  /** Certificate names whose create request is generating its key right now (lower case). */
  readonly creating = new Set<string>();

  constructor(
    readonly tenantId: string,
    allowedObjectIds: string[] | undefined,
  ) {
    this.access =
      allowedObjectIds && allowedObjectIds.length > 0
        ? new Set(allowedObjectIds.map((id) => id.toLowerCase()))
        : 'any';
  }
}

export function vaultOf(ctx: EmulatorContext): Vault {
  return ctx.state.extension('keyvault', () => {
    const seed = ctx.state.seed.keyVault;
    const tenantId = seed?.tenantId ?? [...ctx.state.tenants.keys()][0] ?? '';
    const vault = new Vault(tenantId, seed?.allowedObjectIds);
    const now = ctx.state.clock.now();
    for (const [i, s] of (seed?.secrets ?? []).entries()) {
      if (!validName(s.name) || typeof s.value !== 'string')
        throw new SeedError(
          `keyVault.secrets[${i}]`,
          'a name of 0-9, a-z, A-Z and - and a string value are required',
        );
      vault.secrets.set({
        name: s.name,
        versions: [
          {
            version: newVersion(),
            value: s.value,
            contentType: s.contentType,
            tags: s.tags,
            attributes: { enabled: true, created: now, updated: now },
          },
        ],
      });
    }
    return vault;
  });
}

/** A new object version id: 32 lowercase hex characters, as Key Vault's. */
export function newVersion(): string {
  return randomBytes(16).toString('hex');
}

/** Key Vault's object names: 1-127 characters, letters, digits and dashes. */
export function validName(name: string): boolean {
  return /^[0-9a-zA-Z-]{1,127}$/.test(name);
}
