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
  serverSubmit: { href: "/servers/new", label: "Submit a server", permission: "servers.submit" },
  serverImport: { href: "/servers/import", label: "Import servers", permission: "servers.submit" },
  serverReviews: { href: "/servers/reviews", label: "Review queue", permission: "reviews.decide" },
  agents: { href: "/agents", label: "Agents", permission: "agents.read" },
  agentNew: { href: "/agents/new", label: "Register an agent", permission: "agents.submit" },
  policies: { href: "/policies", label: "Policies", permission: "policies.read" },
  policyNew: { href: "/policies/new", label: "New policy", permission: "policies.submit" },
  policySimulator: { href: "/policies/simulator", label: "Policy simulator", permission: "policies.read" },
  policyMatrix: { href: "/policies/matrix", label: "Policy matrix", permission: "policies.read" },
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

// Redirect targets (callbackUrl) come from the query string, so they are hostile until proven
// otherwise. Browsers strip tabs and newlines from URLs and read a backslash as a slash, so
// "/\t/evil.com" becomes "//evil.com": another origin. The rule: no control characters, blanks
// or backslashes at all; resolve against our origin; keep it only when the origin is still ours
// and the path does not start with "//".

const PLACEHOLDER_ORIGIN = "http://portcullis.invalid";
const UNSAFE_CHARS = /[\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200F\u2028-\u202F\u205F\u2060\u3000\uFEFF\\]/;
const MAX_REDIRECT_LENGTH = 2048;

/** The same-origin path (path + query + hash) `raw` leads to, or null when it is not one. */
export function safeRedirectPath(raw: string | null | undefined, origin: string = PLACEHOLDER_ORIGIN): string | null {
  if (typeof raw !== "string" || !raw || raw.length > MAX_REDIRECT_LENGTH || UNSAFE_CHARS.test(raw)) return null;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(raw, base);
  } catch {
    return null;
  }
  if (url.origin !== base.origin || url.username || url.password) return null;
  // Only a path (or our own absolute URL), never a scheme-relative or other-scheme reference.
  if (!raw.startsWith("/") && !raw.startsWith(`${base.origin}/`) && raw !== base.origin) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith("/") || path.startsWith("//")) return null;
  return path;
}

/** A callbackUrl we are willing to follow after sign-in: a local path, never another origin. */
export function safeCallbackUrl(raw: string | null | undefined, origin?: string): string {
  const path = safeRedirectPath(raw, origin);
  if (!path) return "/";
  const pathname = path.split(/[?#]/, 1)[0];
  if (["/signin", "/setup", "/api"].some((p) => pathname === p || pathname.startsWith(`${p}/`))) return "/";
  return path;
}
