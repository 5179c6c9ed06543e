"use client";

import Link from "next/link";
import { ArrowRight, ShieldAlert, ShieldCheck, ShieldQuestion } from "lucide-react";
import { BROKEN_REASONS, eventHref, overallIntegrity } from "@/components/audit/integrity-check";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useAuditIntegrityQuery } from "@/lib/client/audit";
import { cn } from "@/lib/client/cn";
import { formatRelative } from "@/lib/client/format";
import { ROUTES } from "@/lib/client/routes";

/** The audit trail's last integrity check at a glance, linking to the first broken event. */
export function IntegrityCard({ className }: { className?: string }) {
  const integrity = useAuditIntegrityQuery();
  const data = integrity.data;
  const overall = data ? overallIntegrity(data) : null;
  const broken = data?.streams.find((s) => s.firstBroken);
  const verifiedThrough = data?.streams.reduce((n, s) => n + s.verified, 0) ?? 0;
  const Icon = overall === "broken" ? ShieldAlert : overall === "verified" ? ShieldCheck : ShieldQuestion;
  return (
    <Card className={cn(overall === "broken" && "border-red-300 dark:border-red-500/40", className)}>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          {overall && (
            <Icon
              aria-hidden
              className={cn(
                "size-5",
                overall === "broken" ? "text-destructive" : overall === "verified" ? "text-emerald-600 dark:text-emerald-400" : "text-muted-foreground",
              )}
            />
          )}
          Audit integrity
        </CardTitle>
        <CardDescription>The background check of the keyed hash chain.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-2 text-sm" role="status" aria-live="polite">
        {integrity.isPending ? (
          <Skeleton className="h-10" />
        ) : integrity.isError || !data ? (
          <p className="text-muted-foreground">Could not load the integrity check.</p>
        ) : (
          <>
            <p className={cn("font-medium", overall === "broken" && "text-destructive")}>
              {overall === "broken"
                ? `Broken in stream ${broken?.stream}: ${BROKEN_REASONS[broken?.firstBroken?.reason ?? ""] ?? "a link does not verify"}`
                : overall === "verified"
                  ? `Intact: ${verifiedThrough.toLocaleString()} ${verifiedThrough === 1 ? "event" : "events"} verified`
                  : overall === "empty"
                    ? "Nothing to verify yet"
                    : "Not checked yet"}
            </p>
            <p className="text-muted-foreground">
              {data.verifier.lastRunAt ? `Last checked ${formatRelative(data.verifier.lastRunAt)}` : "The first check runs shortly"}
              {` · every ${data.verifier.intervalMinutes} min`}
            </p>
            {broken?.firstBroken?.eventId ? (
              <Link
                href={eventHref(broken.firstBroken.eventId)}
                className="inline-flex w-fit items-center gap-1 font-medium text-primary underline-offset-4 hover:underline"
              >
                Open the first broken event <ArrowRight aria-hidden className="size-3.5" />
              </Link>
            ) : (
              <Link
                href={ROUTES.audit.href}
                className="inline-flex w-fit items-center gap-1 font-medium text-primary underline-offset-4 hover:underline"
              >
                View the audit trail <ArrowRight aria-hidden className="size-3.5" />
              </Link>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}
