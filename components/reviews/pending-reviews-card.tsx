"use client";

import Link from "next/link";
import { ClipboardCheck } from "lucide-react";
import { useActor } from "@/components/shell/actor-context";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDate, formatRelative } from "@/lib/client/format";
import { rowsOf } from "@/lib/client/list-query";
import { useReviewsQuery } from "@/lib/client/servers";

/** Submissions of one subject type waiting for a decision (shown only when there are some): the
 * agents and policies lists show it to those who decide. */
export function PendingReviewsCard({ type, description, listLabel, mono = false }: { type: string; description: string; listLabel: string; mono?: boolean }) {
  const me = useActor();
  const reviews = useReviewsQuery({ state: "pending", type });
  const rows = rowsOf(reviews);
  if (rows.length === 0) return null;
  const shown = rows.slice(0, 5);
  const more = rows.length - shown.length;
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <ClipboardCheck aria-hidden className="size-4 text-muted-foreground" />
          Waiting for review
          <Badge tone="info">{reviews.hasNextPage ? `${rows.length}+` : rows.length}</Badge>
        </CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent>
        <ul aria-label={listLabel} className="grid gap-2">
          {shown.map((r) => (
            <li key={r.id} className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 text-sm">
              <Link href={`/servers/reviews/${encodeURIComponent(r.id)}`} className={`${mono ? "font-mono " : ""}font-medium text-primary underline-offset-4 hover:underline`}>
                {r.subject.name} v{r.subject.version}
              </Link>
              <span className="text-xs text-muted-foreground" title={formatDate(r.submittedAt, true)}>
                by {r.submittedByName ?? "someone removed"}, {formatRelative(r.submittedAt)}
              </span>
              {r.submittedBy === me.id && <Badge>yours: someone else decides</Badge>}
            </li>
          ))}
        </ul>
        {more > 0 && <p className="mt-2 text-xs text-muted-foreground">and {more} more</p>}
      </CardContent>
    </Card>
  );
}
