"use client";

import { useState } from "react";
import Link from "next/link";
import { Bot, Plus, Trash2 } from "lucide-react";
import { CreateServiceAccountDialog } from "@/components/admin/service-accounts/create-service-account-dialog";
import { useCan } from "@/components/shell/actor-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataList, type Column, type RowAction } from "@/components/ui/data-list";
import { PageHeader } from "@/components/ui/page-header";
import { RoleBadge } from "@/components/ui/role-badge";
import { formatDate, formatDay } from "@/lib/client/format";
import { ROUTES } from "@/lib/client/routes";
import { useRevokeServiceAccountMutation, useServiceAccountsQuery } from "@/lib/client/service-accounts";
import type { UserJson } from "@/lib/client/types";

const COLUMNS: Column<UserJson>[] = [
  {
    id: "name",
    header: "Name",
    primary: true,
    cell: (a) => <span className={a.disabled ? "font-mono text-sm break-all" : "font-mono text-sm break-all text-foreground"}>{a.name}</span>,
  },
  { id: "role", header: "Role", cell: (a) => <RoleBadge role={a.role} /> },
  { id: "status", header: "Status", cell: (a) => (a.disabled ? <Badge tone="danger">Revoked</Badge> : <Badge tone="success">Active</Badge>) },
  {
    id: "created",
    header: "Created",
    cell: (a) => (
      <div className="grid">
        <span className="whitespace-nowrap" title={formatDate(a.createdAt, true)}>
          {formatDay(a.createdAt)}
        </span>
        <span className="text-xs text-muted-foreground">{a.createdBy && `by ${a.createdBy.name}`}</span>
      </div>
    ),
  },
];

/** Admin > Service accounts: accounts for automation, each with a role and API tokens. */
export function ServiceAccountsAdmin() {
  const can = useCan();
  const manage = can("users.manage");
  const accounts = useServiceAccountsQuery();
  const revoke = useRevokeServiceAccountMutation();
  const [creating, setCreating] = useState(false);

  const actions: RowAction<UserJson>[] = [
    {
      id: "revoke",
      label: "Revoke",
      icon: Trash2,
      inline: true,
      destructive: true,
      visible: (a) => !a.disabled,
      confirm: (a) => ({
        title: `Revoke ${a.name}?`,
        description: "The account is disabled and every API token it holds stops working at once. This cannot be undone.",
        confirmLabel: "Revoke",
        destructive: true,
      }),
      run: (a) => revoke.mutateAsync(a.id),
      success: (a) => `Revoked ${a.name} and its tokens`,
    },
  ];

  const create = (size: "sm" | "md") => (
    <Button size={size} onClick={() => setCreating(true)}>
      <Plus aria-hidden />
      Create service account
    </Button>
  );

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Service accounts"
        description="Accounts for automation (CI pipelines, gateways, scripts). Each holds a role like a person, and its API tokens carry that role's permissions."
        actions={manage ? create("md") : undefined}
      />

      <DataList
        query={accounts}
        columns={COLUMNS}
        rowKey={(a) => a.id}
        rowLabel={(a) => a.name}
        caption="Service accounts"
        noun={["service account", "service accounts"]}
        actions={manage ? actions : undefined}
        rowClassName={(a) => (a.disabled ? "text-muted-foreground" : undefined)}
        empty={{
          icon: Bot,
          title: "No service accounts yet",
          description: "Create one for each system that calls the Portcullis API, so its access can be revoked on its own.",
          action: manage ? create("sm") : undefined,
        }}
      />

      <p className="text-sm text-muted-foreground">
        The tokens of every account are listed under{" "}
        <Link href={ROUTES.tokens.href} className="font-medium text-primary underline-offset-4 hover:underline">
          Tokens
        </Link>
        {can("tokens.manage") ? ", where you can issue more." : "."}
      </p>

      {manage && <CreateServiceAccountDialog open={creating} onOpenChange={setCreating} />}
    </div>
  );
}
