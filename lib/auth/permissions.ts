// Named permissions and the roles that hold them (DESIGN.md, Permissions).

export const ROLES = ["admin", "approver", "publisher", "auditor", "gateway"] as const;
export type Role = (typeof ROLES)[number];
/** The roles a person may hold; `gateway` is for service accounts (gateways, IdPs) only. */
export const HUMAN_ROLES = ["admin", "approver", "publisher", "auditor"] as const satisfies readonly Role[];
export type HumanRole = (typeof HUMAN_ROLES)[number];

/** Higher rank wins when several SSO groups map to roles. */
export const ROLE_RANK: Record<Role, number> = { gateway: 0, auditor: 1, publisher: 2, approver: 3, admin: 4 };

export const PERMISSIONS = [
  "registry.read",
  "catalog.read",
  "agents.read",
  "policies.read",
  "servers.submit",
  "agents.submit",
  "policies.submit",
  "reviews.decide",
  "tasks.cancel",
  "servers.recheck",
  "audit.read",
  "audit.export",
  "users.read",
  "gateways.manage",
  "users.manage",
  "tokens.manage",
  "settings.manage",
  "xaa.decide",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ["registry.read", "catalog.read", "agents.read", "policies.read"];
const SUBMIT: Permission[] = ["servers.submit", "agents.submit", "policies.submit"];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  approver: new Set([...READ, ...SUBMIT, "reviews.decide", "tasks.cancel", "servers.recheck", "audit.read", "audit.export", "users.read"]),
  publisher: new Set([...READ, ...SUBMIT]),
  // users.read: people, service accounts and tokens (never secrets), for access reviews.
  auditor: new Set([...READ, "audit.read", "audit.export", "users.read"]),
  // Machine callers: read the registry, ask the decision point; nothing else.
  gateway: new Set(["registry.read", "xaa.decide"]),
};

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function isHumanRole(value: unknown): value is HumanRole {
  return typeof value === "string" && (HUMAN_ROLES as readonly string[]).includes(value);
}

/** The highest role any of the given groups maps to, or null when none maps. */
export function roleFromGroups(groups: unknown, map: Record<string, Role>): Role | null {
  const list = Array.isArray(groups) ? groups : typeof groups === "string" ? [groups] : [];
  let best: Role | null = null;
  for (const g of list) {
    // Own keys only: a group named "toString" or "__proto__" must not reach Object.prototype.
    const role = typeof g === "string" && Object.hasOwn(map, g) ? map[g] : undefined;
    if (role && (!best || ROLE_RANK[role] > ROLE_RANK[best])) best = role;
  }
  return best;
}
