import { describe, expect, it } from "vitest";
import { isRole, PERMISSIONS, ROLE_PERMISSIONS, ROLES, roleFromGroups, roleHas, type Role } from "@/lib/auth/permissions";

// DESIGN.md (Permissions), transcribed: the code must match this table, not the other way round.
const DESIGN: Record<string, Role[]> = {
  "registry.read": ["admin", "approver", "publisher", "auditor", "gateway"],
  "catalog.read": ["admin", "approver", "publisher", "auditor"],
  "agents.read": ["admin", "approver", "publisher", "auditor"],
  "policies.read": ["admin", "approver", "publisher", "auditor"],
  "servers.submit": ["admin", "approver", "publisher"],
  "agents.submit": ["admin", "approver", "publisher"],
  "policies.submit": ["admin", "approver", "publisher"],
  "reviews.decide": ["admin", "approver"],
  "tasks.cancel": ["admin", "approver"],
  "servers.recheck": ["admin", "approver"],
  "audit.read": ["admin", "approver", "auditor"],
  "audit.export": ["admin", "approver", "auditor"],
  "users.read": ["admin", "approver", "auditor"],
  "gateways.manage": ["admin"],
  "users.manage": ["admin"],
  "tokens.manage": ["admin"],
  "settings.manage": ["admin"],
  "xaa.decide": ["admin", "gateway"],
};

describe("role permissions", () => {
  it("names exactly the permissions of DESIGN.md", () => {
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(DESIGN).sort());
    expect([...ROLES].sort()).toEqual(["admin", "approver", "auditor", "gateway", "publisher"]);
  });

  it.each(ROLES)("%s holds exactly the permissions DESIGN.md gives it", (role) => {
    const expected = Object.keys(DESIGN).filter((p) => DESIGN[p].includes(role)).sort();
    expect([...ROLE_PERMISSIONS[role]].sort()).toEqual(expected);
    for (const p of PERMISSIONS) expect(roleHas(role, p)).toBe(DESIGN[p].includes(role));
  });

  it("recognises roles and nothing else", () => {
    for (const r of ROLES) expect(isRole(r)).toBe(true);
    for (const v of ["Admin", "root", "", null, undefined, 1, ["admin"]]) expect(isRole(v)).toBe(false);
  });
});

describe("roleFromGroups", () => {
  const map: Record<string, Role> = {
    "sec-reviewers": "approver",
    platform: "admin",
    "app-team": "publisher",
    compliance: "auditor",
  };

  it.each([
    { groups: ["sec-reviewers"], role: "approver" },
    { groups: ["app-team", "sec-reviewers"], role: "approver" },
    { groups: ["compliance", "app-team"], role: "publisher" },
    { groups: ["compliance", "platform", "app-team"], role: "admin" },
    { groups: ["unmapped", "compliance"], role: "auditor" },
    { groups: "platform", role: "admin" }, // some IdPs send a single group as a string
    { groups: ["unmapped"], role: null },
    { groups: [], role: null },
    { groups: undefined, role: null },
    { groups: null, role: null },
    { groups: { platform: true }, role: null },
    { groups: [42, null, { name: "platform" }], role: null },
    { groups: ["Platform", "SEC-REVIEWERS"], role: null }, // group names match exactly
    { groups: ["toString", "constructor", "__proto__"], role: null }, // no prototype lookups
  ] as { groups: unknown; role: Role | null }[])("$groups -> $role", ({ groups, role }) => {
    expect(roleFromGroups(groups, map)).toBe(role);
  });

  it("maps nothing with an empty map", () => {
    expect(roleFromGroups(["platform"], {})).toBeNull();
  });
});
