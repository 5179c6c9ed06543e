"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useActor } from "@/components/shell/actor-context";
import { ROLE_OPTIONS_SHORT } from "@/components/admin/role-options";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { errorMessage } from "@/lib/client/api";
import { cn } from "@/lib/client/cn";
import { formatDate, formatRelative } from "@/lib/client/format";
import type { Role, UserJson } from "@/lib/client/types";
import { useUpdateUserMutation } from "@/lib/client/users";

export function UsersTable({ users }: { users: UserJson[] }) {
  const me = useActor();
  const update = useUpdateUserMutation();
  const [confirming, setConfirming] = useState<UserJson | null>(null);
  const pendingId = update.isPending ? update.variables?.id : undefined;

  function changeRole(user: UserJson, role: Role) {
    if (role === user.role) return;
    update.mutate(
      { id: user.id, patch: { role } },
      {
        onSuccess: (u) => toast.success(`${u.name} is now ${article(u.role)} ${u.role}`),
        onError: (err) => toast.error(errorMessage(err)),
      },
    );
  }

  function toggleDisabled(user: UserJson) {
    update.mutate(
      { id: user.id, patch: { disabled: !user.disabled } },
      {
        onSuccess: (u) => toast.success(u.disabled ? `${u.name} is disabled` : `${u.name} can sign in again`),
        onError: (err) => toast.error(errorMessage(err)),
        onSettled: () => setConfirming(null),
      },
    );
  }

  return (
    <>
      <Table>
        <caption className="sr-only">Users</caption>
        <TableHeader>
          <TableRow>
            <TableHead>User</TableHead>
            <TableHead className="w-40">Role</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Last sign-in</TableHead>
            <TableHead>Created</TableHead>
            <TableHead className="text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {users.map((u) => {
            const self = u.id === me.id;
            const busy = pendingId === u.id;
            return (
              <TableRow key={u.id} className={cn("hover:bg-muted/40", u.disabled && "text-muted-foreground")}>
                <TableCell className="max-w-72">
                  <div className="grid">
                    <span className="flex items-center gap-2 truncate font-medium text-foreground">
                      {u.name}
                      {self && <Badge tone="primary">you</Badge>}
                    </span>
                    <span className="truncate text-xs text-muted-foreground">{u.email ?? "no e-mail"}</span>
                  </div>
                </TableCell>
                <TableCell>
                  <Select
                    size="sm"
                    value={u.role}
                    options={ROLE_OPTIONS_SHORT}
                    onValueChange={(v) => changeRole(u, v as Role)}
                    disabled={self || busy}
                    aria-label={`Role of ${u.name}`}
                    className="w-32"
                  />
                </TableCell>
                <TableCell>
                  <div className="flex flex-wrap gap-1.5">
                    {u.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Active</Badge>}
                    {u.sso && <Badge tone="info">SSO</Badge>}
                  </div>
                </TableCell>
                <TableCell className="whitespace-nowrap">
                  <span title={formatDate(u.lastLoginAt, true)}>{u.lastLoginAt ? formatRelative(u.lastLoginAt) : "never"}</span>
                </TableCell>
                <TableCell className="whitespace-nowrap">{formatDate(u.createdAt)}</TableCell>
                <TableCell className="text-right">
                  {!self && (
                    <Button
                      size="sm"
                      variant={u.disabled ? "secondary" : "destructive-outline"}
                      disabled={busy}
                      onClick={() => setConfirming(u)}
                      aria-label={`${u.disabled ? "Enable" : "Disable"} ${u.name}`}
                    >
                      {u.disabled ? "Enable" : "Disable"}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>

      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => !open && setConfirming(null)}
        title={confirming?.disabled ? `Enable ${confirming.name}?` : `Disable ${confirming?.name ?? "user"}?`}
        description={
          confirming?.disabled
            ? `${confirming.name} will be able to sign in again as ${article(confirming.role)} ${confirming.role}.`
            : "They are signed out at once and can no longer sign in or use their API tokens. You can enable them again later."
        }
        confirmLabel={confirming?.disabled ? "Enable" : "Disable"}
        destructive={!confirming?.disabled}
        pending={update.isPending}
        onConfirm={() => confirming && toggleDisabled(confirming)}
      />
    </>
  );
}

function article(word: string) {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}
