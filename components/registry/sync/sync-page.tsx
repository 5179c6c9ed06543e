"use client";

import { useState } from "react";
import { CloudDownload, Plus } from "lucide-react";
import { UpstreamCard } from "@/components/registry/sync/upstream-card";
import { UpstreamDialog } from "@/components/registry/sync/upstream-dialog";
import { useCan } from "@/components/shell/actor-context";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { useUpstreamsQuery } from "@/lib/client/sync";

/** Servers > Sync: upstream registries, their runs and allow rules. */
export function SyncPage() {
  const can = useCan();
  const manage = can("reviews.decide");
  const upstreams = useUpstreamsQuery();
  const [adding, setAdding] = useState(false);
  const items = upstreams.data?.items ?? [];

  const add = (size: "sm" | "md") => (
    <Button size={size} onClick={() => setAdding(true)}>
      <Plus aria-hidden />
      Add upstream
    </Button>
  );

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Sync"
        description="Copy servers from upstream registries (the official one, or another Portcullis). New versions wait for review unless an approved allow rule admits their namespace; upstream deprecations and deletions are followed."
        actions={manage && items.length > 0 ? add("md") : undefined}
      />
      {upstreams.isPending ? (
        <Card>
          <TableSkeleton rows={3} columns={3} label="Loading upstreams" />
        </Card>
      ) : upstreams.isError ? (
        <Card>
          <ErrorState error={upstreams.error} title="Could not load the upstreams" onRetry={() => void upstreams.refetch()} />
        </Card>
      ) : items.length === 0 ? (
        <Card>
          <EmptyState
            icon={CloudDownload}
            title="No upstream registries"
            description={manage ? "Add one to copy its servers into the catalog for review." : "Approvers add upstream registries here."}
            action={manage ? add("sm") : undefined}
          />
        </Card>
      ) : (
        <div className="grid gap-4">
          {items.map((u) => (
            <UpstreamCard key={u.id} upstream={u} canManage={manage} />
          ))}
        </div>
      )}
      {manage && <UpstreamDialog open={adding} onOpenChange={setAdding} />}
    </div>
  );
}
