// Response shapes of the console API, derived from the functions that produce them, so the
// client cannot drift from the server. Type-only imports: nothing server-side is bundled.
import type { toUserJson, toTokenJson } from "@/lib/users/data";
import type { toAuditJson } from "@/lib/audit/data";
import type { IntegrityReport } from "@/lib/audit/verify";
import type { DashboardStats } from "@/lib/stats/data";
import type { Role } from "@/lib/auth/permissions";

export type { Role, DashboardStats, IntegrityReport };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type UserJson = ReturnType<typeof toUserJson>;
export type TokenJson = ReturnType<typeof toTokenJson>;
export type AuditEventJson = ReturnType<typeof toAuditJson>;

export interface CreatedServiceAccount {
  id: string;
  name: string;
  role: Role;
  tokenId: string;
  token: string;
}

export type CreatedToken = TokenJson & { token: string };

/** The signed-in person as the shell knows it (no secrets; from the server layout). */
export interface ShellActor {
  id: string;
  name: string;
  email: string | null;
  role: Role;
}
