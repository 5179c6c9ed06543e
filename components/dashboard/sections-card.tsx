"use client";

import Link from "next/link";
import { ChevronRight } from "lucide-react";
import { useCan } from "@/components/shell/actor-context";
import { Badge } from "@/components/ui/badge";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/client/cn";
import { ROUTES, type ConsoleRoute } from "@/lib/client/routes";

const SECTIONS: { route: ConsoleRoute; text: string; soon?: boolean }[] = [
  { route: ROUTES.servers, text: "The catalog of approved MCP servers" },
  { route: ROUTES.agents, text: "Approved agents and their client metadata" },
  { route: ROUTES.policies, text: "Who may delegate what to which agent", soon: true },
  { route: ROUTES.gateways, text: "MCP gateways and what they saw", soon: true },
  { route: ROUTES.tasks, text: "Long-running tasks started by agents", soon: true },
  { route: ROUTES.audit, text: "Every change made in the console" },
];

/** The console's sections the role may open, for roles without the audit trail on the dashboard. */
export function SectionsCard({ className }: { className?: string }) {
  const can = useCan();
  const visible = SECTIONS.filter((s) => can(s.route.permission));
  return (
    <Card className={cn("flex flex-col", className)}>
      <CardHeader>
        <CardTitle>Sections</CardTitle>
        <CardDescription>Where things live in Portcullis.</CardDescription>
      </CardHeader>
      <ul className="divide-y border-t">
        {visible.map(({ route, text, soon }) => (
          <li key={route.href}>
            <Link href={route.href} className="flex items-center gap-3 px-5 py-3 text-sm transition-colors hover:bg-muted/50">
              <span className="w-20 shrink-0 font-medium">{route.label}</span>
              <span className="min-w-0 flex-1 text-muted-foreground">{text}</span>
              {soon && <Badge tone="neutral">soon</Badge>}
              <ChevronRight aria-hidden className="size-4 shrink-0 text-muted-foreground" />
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}
