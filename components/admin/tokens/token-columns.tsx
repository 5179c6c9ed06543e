"use client";

import { Bot, Clock, Trash2, User } from "lucide-react";
import { tokenStatus, type TokenStatus } from "@/components/admin/tokens/token-status";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { Column, RowAction } from "@/components/ui/data-list";
import { formatDate, formatDay, formatRelative } from "@/lib/client/format";
import type { TokenJson } from "@/lib/client/types";

// The columns and the revoke action of a token list: every token (Admin > Tokens) and your own
// (Account > API tokens), which leaves out the owner.

const STATUS_TONE: Record<TokenStatus, BadgeTone> = { active: "success", expired: "warning", revoked: "danger" };

export function tokenColumns({ owner }: { owner: boolean }): Column<TokenJson>[] {
  const columns: Column<TokenJson>[] = [
    {
      id: "token",
      header: "Token",
      primary: true,
      cell: (t) => (
        <div className="grid min-w-0">
          <span className="font-medium break-words text-foreground">{t.name}</span>
          <code className="font-mono text-xs text-muted-foreground">{t.prefix}…</code>
        </div>
      ),
    },
  ];
  if (owner) {
    columns.push({
      id: "owner",
      header: "Owner",
      className: "min-w-40",
      cell: (t) => {
        const Icon = t.userKind === "service" ? Bot : User;
        return (
          <span className="inline-flex items-start gap-1.5">
            <Icon aria-hidden className="mt-0.5 size-3.5 shrink-0 text-muted-foreground" />
            <span className="break-words">{t.userName ?? "—"}</span>
            <span className="sr-only">({t.userKind === "service" ? "service account" : "person"})</span>
          </span>
        );
      },
    });
  }
  columns.push(
    {
      id: "status",
      header: "Status",
      cell: (t) => {
        const status = tokenStatus(t);
        return (
          <div className="flex flex-wrap gap-1.5">
            <Badge tone={STATUS_TONE[status]}>{status}</Badge>
            {t.expiresSoon && status === "active" && (
              <Badge tone="warning">
                <Clock aria-hidden />
                expires soon
              </Badge>
            )}
          </div>
        );
      },
    },
    {
      id: "expires",
      header: "Expires",
      className: "whitespace-nowrap",
      cell: (t) =>
        t.revokedAt ? (
          <span title={formatDate(t.revokedAt, true)}>revoked {formatRelative(t.revokedAt)}</span>
        ) : t.expiresAt ? (
          <span title={formatDate(t.expiresAt, true)} className={t.expiresSoon ? "font-medium text-amber-800 dark:text-amber-300" : undefined}>
            {formatDay(t.expiresAt)}
            <span className="block text-xs font-normal text-muted-foreground">{formatRelative(t.expiresAt)}</span>
          </span>
        ) : (
          "never"
        ),
    },
    {
      id: "created",
      header: "Created",
      cell: (t) => (
        <div className="grid">
          <span className="whitespace-nowrap" title={formatDate(t.createdAt, true)}>
            {formatDay(t.createdAt)}
          </span>
          {owner && <span className="text-xs text-muted-foreground">{t.createdBy && `by ${t.createdBy.name}`}</span>}
        </div>
      ),
    },
    {
      id: "lastUsed",
      header: "Last used",
      cell: (t) => <span title={formatDate(t.lastUsedAt, true)}>{t.lastUsedAt ? formatRelative(t.lastUsedAt) : "never"}</span>,
    },
  );
  return columns;
}

/** Revoke, after confirming; not offered for tokens already revoked. */
export function revokeTokenAction(revoke: (id: string) => Promise<unknown>, { owner }: { owner: boolean }): RowAction<TokenJson> {
  return {
    id: "revoke",
    label: "Revoke",
    icon: Trash2,
    inline: true,
    destructive: true,
    visible: (t) => tokenStatus(t) !== "revoked",
    ariaLabel: (t) => (owner ? `Revoke token ${t.name} of ${t.userName ?? "unknown owner"}` : `Revoke token ${t.name}`),
    confirm: (t) => ({
      title: `Revoke token “${t.name}”?`,
      description: (
        <>
          Anything using <code className="font-mono text-xs">{t.prefix}…</code>
          {owner ? ` (owner ${t.userName ?? "unknown"})` : ""} gets 401 from its next call. This cannot be undone.
        </>
      ),
      confirmLabel: "Revoke token",
      destructive: true,
    }),
    run: (t) => revoke(t.id),
    success: (t) => `Revoked token ${t.name}`,
  };
}
