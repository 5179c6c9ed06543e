"use client";

import Link from "next/link";
import { ClipboardCheck, KeyRound, ScrollText, ShieldAlert, UserCog, Users, WifiOff } from "lucide-react";
import { IntegrityCard } from "@/components/dashboard/integrity-card";
import { RecentActivity } from "@/components/dashboard/recent-activity";
import { SectionsCard } from "@/components/dashboard/sections-card";
import { useActor, useCan } from "@/components/shell/actor-context";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ROLE_DESCRIPTIONS, RoleBadge } from "@/components/ui/role-badge";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/states";
import { useStatsQuery } from "@/lib/client/stats";
import type { DashboardStats } from "@/lib/client/types";
import { ROUTES } from "@/lib/client/routes";
import type { Permission } from "@/lib/auth/permissions";

interface StatDef {
  key: keyof DashboardStats;
  label: string;
  hint: string;
  icon: React.ComponentType<{ className?: string; "aria-hidden"?: boolean }>;
  href?: string;
  /** Who may follow `href`; others see the count without a link. */
  permission?: Permission;
}

const STATS: StatDef[] = [
  { key: "activeUsers", label: "Active users", hint: "People who can sign in", icon: Users, href: ROUTES.users.href },
  {
    key: "activeServiceAccounts",
    label: "Service accounts",
    hint: "Active accounts for automation",
    icon: UserCog,
    href: ROUTES.serviceAccounts.href,
  },
  { key: "activeTokens", label: "Active tokens", hint: "Neither revoked nor expired", icon: KeyRound, href: ROUTES.tokens.href },
  { key: "pendingReviews", label: "Pending reviews", hint: "Submissions waiting for a decision", icon: ClipboardCheck },
  { key: "driftedVersions", label: "Drifted servers", hint: "Approved versions whose tools changed", icon: ShieldAlert, href: `${ROUTES.serverReviews.href}?type=tool-snapshot`, permission: ROUTES.serverReviews.permission },
  { key: "failedChecks", label: "Failed tool checks", hint: "Approved versions the last check could not read", icon: WifiOff, href: ROUTES.servers.href },
  { key: "auditEvents24h", label: "Audit events", hint: "Recorded in the last 24 hours", icon: ScrollText, href: ROUTES.audit.href },
];

const number = new Intl.NumberFormat();

export function Dashboard({ firstSignIn = false }: { firstSignIn?: boolean }) {
  const actor = useActor();
  const can = useCan();
  const stats = useStatsQuery();
  const firstName = actor.name.split(/\s+/)[0];
  const visible = stats.data ? STATS.filter((s) => stats.data[s.key] !== undefined) : [];

  return (
    <div className="grid gap-8">
      <PageHeader
        title="Dashboard"
        description={`${firstSignIn ? "Welcome" : "Welcome back"}, ${firstName}. Here is where Portcullis stands right now.`}
      />

      <section aria-labelledby="overview-heading" className="grid gap-3">
        <h2 id="overview-heading" className="sr-only">
          Overview
        </h2>
        {stats.isPending ? (
          <div role="status" className="grid grid-cols-[repeat(auto-fill,minmax(10.5rem,1fr))] gap-4">
            <span className="sr-only">Loading counts…</span>
            {Array.from({ length: 7 }, (_, i) => (
              <Skeleton key={i} className="h-40 rounded-xl" />
            ))}
          </div>
        ) : stats.isError ? (
          <Card>
            <ErrorState error={stats.error} title="Could not load the counts" onRetry={() => void stats.refetch()} />
          </Card>
        ) : (
          <ul className="grid grid-cols-[repeat(auto-fill,minmax(10.5rem,1fr))] gap-4">
            {visible.map((s) => (
              <li key={s.key}>
                <StatCard def={s.permission && !can(s.permission) ? { ...s, href: undefined } : s} value={stats.data[s.key] ?? 0} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <div className="grid gap-6 lg:grid-cols-3 lg:items-start">
        {can("audit.read") ? <RecentActivity className="lg:col-span-2" /> : <SectionsCard className="lg:col-span-2" />}
        <div className="grid content-start gap-6">
          {can("audit.read") && <IntegrityCard />}
          <Card>
            <CardHeader>
              <CardTitle>Your access</CardTitle>
              <CardDescription>What your role lets you do in Portcullis.</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-3">
              <div className="flex items-start gap-2">
                <RoleBadge role={actor.role} className="mt-0.5" />
                <span className="text-sm text-muted-foreground">{ROLE_DESCRIPTIONS[actor.role]}</span>
              </div>
              <p className="text-sm text-muted-foreground">
                Servers, agents, policies, gateways and tasks are on their way; their pages say what each will do.
              </p>
              {!can("audit.read") && (
                <p className="text-sm text-muted-foreground">
                  The audit trail needs the <code className="font-mono text-xs">audit.read</code> permission, which your role
                  doesn&apos;t include.
                </p>
              )}
            </CardContent>
          </Card>
        </div>
      </div>
    </div>
  );
}

function StatCard({ def, value }: { def: StatDef; value: number }) {
  const Icon = def.icon;
  const body = (
    <>
      <span className="flex size-8 items-center justify-center rounded-lg bg-accent">
        <Icon aria-hidden className="size-4 text-primary" />
      </span>
      <span className="mt-2 text-3xl font-semibold tracking-tight tabular-nums">{number.format(value)}</span>
      <span className="text-sm font-medium">{def.label}</span>
      <span className="text-xs text-muted-foreground">{def.hint}</span>
    </>
  );
  const classes = "flex h-full flex-col gap-0.5 rounded-xl border bg-card p-5 shadow-xs";
  return def.href ? (
    <Link href={def.href} className={`${classes} transition-colors hover:border-primary/40 hover:bg-accent/40`}>
      {body}
    </Link>
  ) : (
    <div className={classes}>{body}</div>
  );
}
