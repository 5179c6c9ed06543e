"use client";

import { useMemo, useState } from "react";
import Link from "next/link";
import { Bot, Plus } from "lucide-react";
import { toast } from "sonner";
import { LoadMore } from "@/components/admin/load-more";
import { CreateServiceAccountDialog } from "@/components/admin/service-accounts/create-service-account-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PageHeader } from "@/components/ui/page-header";
import { RoleBadge } from "@/components/ui/role-badge";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { errorMessage } from "@/lib/client/api";
import { cn } from "@/lib/client/cn";
import { formatDate } from "@/lib/client/format";
import { ROUTES } from "@/lib/client/routes";
import { useRevokeServiceAccountMutation, useServiceAccountsQuery } from "@/lib/client/service-accounts";
import type { UserJson } from "@/lib/client/types";

/** Admin > Service accounts: accounts for automation, each with a role and API tokens. */
export function ServiceAccountsAdmin() {
  const accounts = useServiceAccountsQuery();
  const revoke = useRevokeServiceAccountMutation();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<UserJson | null>(null);
  const rows = useMemo(() => accounts.data?.pages.flatMap((p) => p.items) ?? [], [accounts.data]);

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Service accounts"
        description="Accounts for automation (CI pipelines, gateways, scripts). Each holds a role like a person, and its API tokens carry that role's permissions."
        actions={
          <Button onClick={() => setCreating(true)}>
            <Plus aria-hidden />
            Create service account
          </Button>
        }
      />

      <Card className="overflow-hidden">
        {accounts.isPending ? (
          <TableSkeleton rows={4} columns={4} label="Loading service accounts" />
        ) : accounts.isError ? (
          <ErrorState error={accounts.error} title="Could not load service accounts" onRetry={() => void accounts.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState
            icon={Bot}
            title="No service accounts yet"
            description="Create one for each system that calls the Portcullis API, so its access can be revoked on its own."
            action={
              <Button size="sm" onClick={() => setCreating(true)}>
                <Plus aria-hidden />
                Create service account
              </Button>
            }
          />
        ) : (
          <Table>
            <caption className="sr-only">Service accounts</caption>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Created</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((a) => (
                <TableRow key={a.id} className={cn("hover:bg-muted/40", a.disabled && "text-muted-foreground")}>
                  <TableCell>
                    <span className={cn("font-mono text-sm", !a.disabled && "text-foreground")}>{a.name}</span>
                  </TableCell>
                  <TableCell>
                    <RoleBadge role={a.role} />
                  </TableCell>
                  <TableCell>{a.disabled ? <Badge tone="danger">Revoked</Badge> : <Badge tone="success">Active</Badge>}</TableCell>
                  <TableCell className="whitespace-nowrap">{formatDate(a.createdAt)}</TableCell>
                  <TableCell className="text-right">
                    {!a.disabled && (
                      <Button
                        size="sm"
                        variant="destructive-outline"
                        onClick={() => setRevoking(a)}
                        aria-label={`Revoke ${a.name}`}
                      >
                        Revoke
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>

      <LoadMore
        count={rows.length}
        noun={["service account", "service accounts"]}
        hasNextPage={accounts.hasNextPage}
        isFetchingNextPage={accounts.isFetchingNextPage}
        isError={accounts.isFetchNextPageError}
        fetchNextPage={accounts.fetchNextPage}
      />

      <p className="text-sm text-muted-foreground">
        Need another token for an account?{" "}
        <Link href={ROUTES.tokens.href} className="font-medium text-primary underline-offset-4 hover:underline">
          Issue one under Tokens
        </Link>
        .
      </p>

      <CreateServiceAccountDialog open={creating} onOpenChange={setCreating} />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={`Revoke ${revoking?.name ?? "service account"}?`}
        description="The account is disabled and every API token it holds stops working at once. This cannot be undone."
        confirmLabel="Revoke"
        destructive
        pending={revoke.isPending}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: (a) => toast.success(`Revoked ${a.name} and its tokens`),
            onError: (err) => toast.error(errorMessage(err)),
            onSettled: () => setRevoking(null),
          })
        }
      />
    </div>
  );
}
