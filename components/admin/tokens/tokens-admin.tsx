"use client";

import { useMemo, useState } from "react";
import { Bot, KeyRound, Plus, User } from "lucide-react";
import { toast } from "sonner";
import { LoadMore } from "@/components/admin/load-more";
import { CreateTokenDialog } from "@/components/admin/tokens/create-token-dialog";
import { tokenStatus, type TokenStatus } from "@/components/admin/tokens/token-status";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { errorMessage } from "@/lib/client/api";
import { cn } from "@/lib/client/cn";
import { formatDate, formatRelative } from "@/lib/client/format";
import { useRevokeTokenMutation, useTokensQuery } from "@/lib/client/tokens";
import type { TokenJson } from "@/lib/client/types";

const STATUS_TONE: Record<TokenStatus, BadgeTone> = { active: "success", expired: "warning", revoked: "danger" };

/** Admin > Tokens: every API token, for people and service accounts; issue and revoke. */
export function TokensAdmin() {
  const tokens = useTokensQuery();
  const revoke = useRevokeTokenMutation();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<TokenJson | null>(null);
  const rows = useMemo(() => tokens.data?.pages.flatMap((p) => p.items) ?? [], [tokens.data]);

  return (
    <div className="grid gap-6">
      <PageHeader
        title="API tokens"
        description="Bearer tokens for the Portcullis API. A token acts with its owner's current role; only its first characters are kept in the clear."
        actions={
          <Button onClick={() => setCreating(true)}>
            <Plus aria-hidden />
            New token
          </Button>
        }
      />

      <Card className="overflow-hidden">
        {tokens.isPending ? (
          <TableSkeleton rows={5} columns={5} label="Loading tokens" />
        ) : tokens.isError ? (
          <ErrorState error={tokens.error} title="Could not load tokens" onRetry={() => void tokens.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState
            icon={KeyRound}
            title="No API tokens yet"
            description="Issue a token for a service account or a person to call the API."
            action={
              <Button size="sm" onClick={() => setCreating(true)}>
                <Plus aria-hidden />
                New token
              </Button>
            }
          />
        ) : (
          <Table>
            <caption className="sr-only">API tokens</caption>
            <TableHeader>
              <TableRow>
                <TableHead>Token</TableHead>
                <TableHead>Owner</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>Expires</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((t) => {
                const status = tokenStatus(t);
                const OwnerIcon = t.userKind === "service" ? Bot : User;
                return (
                  <TableRow key={t.id} className={cn("hover:bg-muted/40", status !== "active" && "text-muted-foreground")}>
                    <TableCell>
                      <div className="grid">
                        <span className={cn("font-medium whitespace-nowrap", status === "active" && "text-foreground")}>{t.name}</span>
                        <code className="font-mono text-xs text-muted-foreground">{t.prefix}…</code>
                      </div>
                    </TableCell>
                    <TableCell>
                      <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
                        <OwnerIcon aria-hidden className="size-3.5 text-muted-foreground" />
                        <span>{t.userName ?? "—"}</span>
                        <span className="sr-only">({t.userKind === "service" ? "service account" : "person"})</span>
                      </span>
                    </TableCell>
                    <TableCell>
                      <Badge tone={STATUS_TONE[status]}>{status}</Badge>
                    </TableCell>
                    <TableCell className="whitespace-nowrap">{formatDate(t.createdAt)}</TableCell>
                    <TableCell className="whitespace-nowrap">
                      {t.revokedAt ? (
                        <span title={formatDate(t.revokedAt, true)}>revoked {formatRelative(t.revokedAt)}</span>
                      ) : t.expiresAt ? (
                        <span title={formatDate(t.expiresAt, true)}>{formatDate(t.expiresAt)}</span>
                      ) : (
                        "never"
                      )}
                    </TableCell>
                    <TableCell className="whitespace-nowrap">
                      <span title={formatDate(t.lastUsedAt, true)}>{t.lastUsedAt ? formatRelative(t.lastUsedAt) : "never"}</span>
                    </TableCell>
                    <TableCell className="text-right">
                      {status !== "revoked" && (
                        <Button
                          size="sm"
                          variant="destructive-outline"
                          onClick={() => setRevoking(t)}
                          aria-label={`Revoke token ${t.name} of ${t.userName ?? "unknown owner"}`}
                        >
                          Revoke
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </Card>

      <LoadMore
        count={rows.length}
        noun={["token", "tokens"]}
        hasNextPage={tokens.hasNextPage}
        isFetchingNextPage={tokens.isFetchingNextPage}
        isError={tokens.isFetchNextPageError}
        fetchNextPage={tokens.fetchNextPage}
      />

      <CreateTokenDialog open={creating} onOpenChange={setCreating} />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={`Revoke token “${revoking?.name ?? ""}”?`}
        description={
          <>
            Anything using <code className="font-mono text-xs">{revoking?.prefix}…</code> (owner {revoking?.userName ?? "unknown"})
            gets 401 from its next call. This cannot be undone.
          </>
        }
        confirmLabel="Revoke token"
        destructive
        pending={revoke.isPending}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: (t) => toast.success(`Revoked token ${t.name}`),
            onError: (err) => toast.error(errorMessage(err)),
            onSettled: () => setRevoking(null),
          })
        }
      />
    </div>
  );
}
