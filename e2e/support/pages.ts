import type { Role } from "./env";

// The console's pages and who may open them, as DESIGN.md's permissions say (gateways and tasks
// are read with audit.read: what the gateways did is audit data). Stated here on purpose rather
// than imported from the app, so a change to the app's table has to be a visible change here.

export interface PageCase {
  path: string;
  /** The page's main heading. */
  heading: RegExp;
  allowed: readonly Role[];
}

const everyone = ["admin", "approver", "publisher", "auditor"] as const;
const auditReaders = ["admin", "approver", "auditor"] as const;
const adminOnly = ["admin"] as const;
const submitters = ["admin", "approver", "publisher"] as const;
const deciders = ["admin", "approver"] as const;

export const PAGES: readonly PageCase[] = [
  { path: "/", heading: /dashboard/i, allowed: everyone },
  { path: "/servers", heading: /servers/i, allowed: everyone },
  { path: "/servers/new", heading: /submit a server version/i, allowed: submitters },
  { path: "/servers/import", heading: /import servers/i, allowed: submitters },
  { path: "/servers/reviews", heading: /review queue/i, allowed: deciders },
  { path: "/servers/sync", heading: /^sync$/i, allowed: everyone },
  { path: "/agents", heading: /agents/i, allowed: everyone },
  { path: "/policies", heading: /policies/i, allowed: everyone },
  { path: "/policies/new", heading: /new policy/i, allowed: submitters },
  { path: "/policies/simulator", heading: /policy simulator/i, allowed: everyone },
  { path: "/policies/matrix", heading: /matrix/i, allowed: everyone },
  { path: "/gateways", heading: /gateways/i, allowed: auditReaders },
  { path: "/tasks", heading: /tasks/i, allowed: auditReaders },
  { path: "/audit", heading: /audit/i, allowed: auditReaders },
  // users.read: people, service accounts and tokens are readable for access reviews.
  { path: "/admin/users", heading: /users/i, allowed: auditReaders },
  { path: "/admin/service-accounts", heading: /service accounts/i, allowed: auditReaders },
  { path: "/admin/tokens", heading: /tokens/i, allowed: auditReaders },
  { path: "/admin/settings", heading: /settings/i, allowed: adminOnly },
  { path: "/account", heading: /your account/i, allowed: everyone },
  { path: "/account/tokens", heading: /your api tokens/i, allowed: everyone },
];

/** What the 403 page says, in some words. */
export const FORBIDDEN_TEXT = /not allowed|don.t have (the )?permission|forbidden|no access|not permitted/i;
