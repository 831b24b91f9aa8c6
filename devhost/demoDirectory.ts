// What `npm run demo` shows of the emulated directory: users (by employeeId), their manager, groups and licences,
// read from the emulator's tenant state (GET {admin}/tenants/{id}), and the difference between two readings.

export interface DirectoryView {
  users: Map<
    string,
    {
      id: string;
      upn: string;
      displayName: string;
      employeeId?: string;
      enabled: boolean;
      managerId?: string;
      skus: string[];
    }
  >;
  groups: Map<string, { displayName: string; members: Set<string> }>;
}

interface RawTenant {
  users?: Record<
    string,
    {
      id: string;
      properties?: Record<string, unknown>;
      managerId?: string;
      assignedLicenses?: { skuId: string }[];
    }
  >;
  groups?: Record<string, { id: string; properties?: Record<string, unknown>; memberIds?: string[] }>;
  skus?: Record<string, { skuId?: string; skuPartNumber?: string }>;
}

export function readDirectory(raw: unknown): DirectoryView {
  const t = (raw ?? {}) as RawTenant;
  const skuNames = new Map<string, string>();
  for (const [id, s] of Object.entries(t.skus ?? {})) skuNames.set(s.skuId ?? id, s.skuPartNumber ?? id);
  const users: DirectoryView['users'] = new Map();
  for (const u of Object.values(t.users ?? {})) {
    const p = u.properties ?? {};
    users.set(u.id, {
      id: u.id,
      upn: String(p.userPrincipalName ?? ''),
      displayName: String(p.displayName ?? ''),
      employeeId: typeof p.employeeId === 'string' ? p.employeeId : undefined,
      enabled: p.accountEnabled !== false,
      managerId: u.managerId,
      skus: (u.assignedLicenses ?? []).map((l) => skuNames.get(l.skuId) ?? l.skuId),
    });
  }
  const groups: DirectoryView['groups'] = new Map();
  for (const g of Object.values(t.groups ?? {}))
    groups.set(g.id, {
      displayName: String(g.properties?.displayName ?? g.id),
      members: new Set(g.memberIds ?? []),
    });
  return { users, groups };
}

export function userByEmployeeId(view: DirectoryView, employeeId: string) {
  return [...view.users.values()].find((u) => u.employeeId === employeeId);
}

/** Lines describing what changed between two readings. */
export function describeChanges(before: DirectoryView, after: DirectoryView): string[] {
  const lines: string[] = [];
  const name = (id: string | undefined) => (id ? (after.users.get(id)?.upn ?? id) : '(none)');
  for (const u of after.users.values()) {
    const old = before.users.get(u.id);
    if (!old) {
      lines.push(
        `  + user ${u.upn}  "${u.displayName}"  employeeId ${u.employeeId ?? '-'}  ${u.enabled ? 'enabled' : 'disabled'}${u.skus.length ? `  licences ${u.skus.join(', ')}` : ''}`,
      );
      if (u.managerId) lines.push(`      manager → ${name(u.managerId)}`);
      continue;
    }
    if (old.enabled !== u.enabled) lines.push(`  ~ user ${u.upn} ${u.enabled ? 'enabled' : 'disabled'}`);
    if (old.managerId !== u.managerId)
      lines.push(`  ~ user ${u.upn} manager ${name(old.managerId)} → ${name(u.managerId)}`);
    if (old.skus.join() !== u.skus.join())
      lines.push(`  ~ user ${u.upn} licences [${old.skus.join(', ')}] → [${u.skus.join(', ')}]`);
  }
  for (const [id, g] of after.groups) {
    const old = before.groups.get(id);
    const added = [...g.members].filter((m) => !old?.members.has(m));
    const removed = [...(old?.members ?? [])].filter((m) => !g.members.has(m));
    if (!old) lines.push(`  + group "${g.displayName}"`);
    for (const m of added) lines.push(`  + member of "${g.displayName}": ${name(m)}`);
    for (const m of removed) lines.push(`  - member of "${g.displayName}": ${name(m)}`);
  }
  return lines;
}
