"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import {
  Bot,
  ClipboardList,
  KeyRound,
  LayoutDashboard,
  ListChecks,
  Network,
  ScrollText,
  Server,
  Settings,
  ShieldCheck,
  UserCog,
  Users,
  type LucideIcon,
} from "lucide-react";
import { useCan } from "@/components/shell/actor-context";
import { cn } from "@/lib/client/cn";
import { ADMIN_NAV, isActive, MAIN_NAV, ROUTES } from "@/lib/client/routes";

const ICONS: Record<string, LucideIcon> = {
  [ROUTES.dashboard.href]: LayoutDashboard,
  [ROUTES.servers.href]: Server,
  [ROUTES.agents.href]: Bot,
  [ROUTES.policies.href]: ShieldCheck,
  [ROUTES.gateways.href]: Network,
  [ROUTES.audit.href]: ScrollText,
  [ROUTES.tasks.href]: ListChecks,
  [ROUTES.users.href]: Users,
  [ROUTES.serviceAccounts.href]: UserCog,
  [ROUTES.tokens.href]: KeyRound,
  [ROUTES.settings.href]: Settings,
};

/** The console navigation; shows only the sections the signed-in role may open. */
export function ConsoleNav({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  const can = useCan();
  const main = MAIN_NAV.filter((r) => can(r.permission));
  const admin = ADMIN_NAV.filter((r) => can(r.permission));

  return (
    <nav aria-label="Console" className="grid gap-6">
      <ul className="grid gap-0.5">
        {main.map((r) => (
          <li key={r.href}>
            <NavLink href={r.href} label={r.label} active={isActive(pathname, r.href)} onNavigate={onNavigate} />
          </li>
        ))}
      </ul>
      {admin.length > 0 && (
        <div className="grid gap-1">
          <h2 id="nav-admin" className="flex items-center gap-2 px-3 text-xs font-medium tracking-wide text-muted-foreground uppercase">
            <ClipboardList aria-hidden className="size-3.5" />
            Admin
          </h2>
          <ul aria-labelledby="nav-admin" className="grid gap-0.5">
            {admin.map((r) => (
              <li key={r.href}>
                <NavLink href={r.href} label={r.label} active={isActive(pathname, r.href)} onNavigate={onNavigate} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </nav>
  );
}

function NavLink({ href, label, active, onNavigate }: { href: string; label: string; active: boolean; onNavigate?: () => void }) {
  const Icon = ICONS[href];
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      onClick={onNavigate}
      className={cn(
        "group flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors",
        active ? "bg-accent text-accent-foreground" : "text-muted-foreground hover:bg-muted hover:text-foreground",
      )}
    >
      {Icon && (
        <Icon
          aria-hidden
          className={cn("size-4 shrink-0", active ? "text-primary" : "text-muted-foreground group-hover:text-foreground")}
        />
      )}
      {label}
    </Link>
  );
}
