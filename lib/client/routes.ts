import type { Permission } from "@/lib/auth/permissions";

// The console's pages and the permission each needs: one table for the server-side checks
// (layouts and pages), the navigation, and the 403 page's explanation.

export interface ConsoleRoute {
  href: string;
  label: string;
  permission: Permission;
}

export const ROUTES = {
  dashboard: { href: "/", label: "Dashboard", permission: "catalog.read" },
  servers: { href: "/servers", label: "Servers", permission: "catalog.read" },
  agents: { href: "/agents", label: "Agents", permission: "agents.read" },
  policies: { href: "/policies", label: "Policies", permission: "policies.read" },
  gateways: { href: "/gateways", label: "Gateways", permission: "audit.read" },
  audit: { href: "/audit", label: "Audit", permission: "audit.read" },
  tasks: { href: "/tasks", label: "Tasks", permission: "audit.read" },
  users: { href: "/admin/users", label: "Users", permission: "users.read" },
  serviceAccounts: { href: "/admin/service-accounts", label: "Service accounts", permission: "users.read" },
  tokens: { href: "/admin/tokens", label: "Tokens", permission: "users.read" },
  settings: { href: "/admin/settings", label: "Settings", permission: "settings.manage" },
} as const satisfies Record<string, ConsoleRoute>;

export const MAIN_NAV: ConsoleRoute[] = [
  ROUTES.dashboard,
  ROUTES.servers,
  ROUTES.agents,
  ROUTES.policies,
  ROUTES.gateways,
  ROUTES.audit,
  ROUTES.tasks,
];

export const ADMIN_NAV: ConsoleRoute[] = [ROUTES.users, ROUTES.serviceAccounts, ROUTES.tokens, ROUTES.settings];

/** The route a path belongs to (longest matching prefix), e.g. for the 403 page. */
export function routeForPath(pathname: string): ConsoleRoute | undefined {
  const all: ConsoleRoute[] = Object.values(ROUTES);
  return all
    .filter((r) => (r.href === "/" ? pathname === "/" : pathname === r.href || pathname.startsWith(`${r.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0];
}

export function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

/** A callbackUrl we are willing to follow after sign-in: a local path, never another origin. */
export function safeCallbackUrl(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  if (raw.startsWith("/signin") || raw.startsWith("/setup") || raw.startsWith("/api/")) return "/";
  return raw;
}
