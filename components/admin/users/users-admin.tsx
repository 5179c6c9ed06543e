"use client";

import { useDeferredValue, useState } from "react";
import { Lock, LockOpen, LogOut, ShieldCheck, UserCheck, UserPlus, Users, UserX } from "lucide-react";
import { ChangeRoleDialog } from "@/components/admin/users/change-role-dialog";
import { CreateUserDialog } from "@/components/admin/users/create-user-dialog";
import { useActor, useCan } from "@/components/shell/actor-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataList, type Column, type RowAction } from "@/components/ui/data-list";
import { PageHeader } from "@/components/ui/page-header";
import { RoleBadge } from "@/components/ui/role-badge";
import { formatDate, formatDay, formatMoment, formatRelative } from "@/lib/client/format";
import type { UserJson } from "@/lib/client/types";
import { useSignOutEverywhereMutation, useUnlockUserMutation, useUpdateUserMutation, useUsersQuery } from "@/lib/client/users";

function article(word: string) {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

export function UserStatus({ user }: { user: UserJson }) {
  return (
    <div className="flex flex-wrap gap-1.5">
      {user.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Active</Badge>}
      {user.locked && (
        <Badge tone="danger" title={user.lockedUntil ? `Locked until ${formatDate(user.lockedUntil, true)}` : undefined}>
          <Lock aria-hidden />
          {user.lockedUntil ? `Locked until ${formatMoment(user.lockedUntil)}` : "Locked"}
        </Badge>
      )}
      {user.mustChangePassword && <Badge tone="warning">Must change password</Badge>}
      {user.sso && <Badge tone="info">SSO</Badge>}
    </div>
  );
}

const COLUMNS = (meId: string): Column<UserJson>[] => [
  {
    id: "user",
    header: "User",
    primary: true,
    className: "min-w-48",
    cell: (u) => (
      <div className="grid min-w-0">
        <span className="flex min-w-0 flex-wrap items-center gap-x-2 font-medium text-foreground">
          <span className="break-words">{u.name}</span>
          {u.id === meId && <Badge tone="primary">you</Badge>}
        </span>
        <span className="text-xs break-all text-muted-foreground">
          {u.email ?? "no e-mail"}
        </span>
      </div>
    ),
  },
  { id: "role", header: "Role", cell: (u) => <RoleBadge role={u.role} /> },
  { id: "status", header: "Status", cell: (u) => <UserStatus user={u} /> },
  {
    id: "lastLogin",
    header: "Last sign-in",
    className: "whitespace-nowrap",
    cell: (u) => <span title={formatDate(u.lastLoginAt, true)}>{u.lastLoginAt ? formatRelative(u.lastLoginAt) : "never"}</span>,
  },
  {
    id: "created",
    header: "Created",
    cell: (u) => (
      <div className="grid">
        <span className="whitespace-nowrap" title={formatDate(u.createdAt, true)}>
          {formatDay(u.createdAt)}
        </span>
        <span className="text-xs text-muted-foreground">{u.createdBy && `by ${u.createdBy.name}`}</span>
      </div>
    ),
  },
];

/** Admin > Users: people who sign in to the console. Readable with users.read; changed with users.manage. */
export function UsersAdmin() {
  const me = useActor();
  const can = useCan();
  const manage = can("users.manage");
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const [creating, setCreating] = useState(false);
  const [changingRole, setChangingRole] = useState<UserJson | null>(null);
  const users = useUsersQuery({ q });
  const update = useUpdateUserMutation();
  const unlock = useUnlockUserMutation();
  const signOut = useSignOutEverywhereMutation();

  const notMe = (u: UserJson) => u.id !== me.id;
  const actions: RowAction<UserJson>[] = [
    {
      id: "unlock",
      label: "Unlock",
      icon: LockOpen,
      inline: true,
      visible: (u) => u.locked,
      confirm: (u) => ({
        title: `Unlock ${u.name}?`,
        description: `The failed sign-ins counted against ${u.email ?? u.name} are cleared, so they can try again at once. Do this once you know the failures were theirs.`,
        confirmLabel: "Unlock",
      }),
      run: (u) => unlock.mutateAsync(u.id),
      success: (u) => `${u.name} can sign in again`,
    },
    { id: "role", label: "Change role…", icon: ShieldCheck, visible: notMe, onSelect: setChangingRole },
    {
      id: "sign-out",
      label: "Sign out everywhere",
      icon: LogOut,
      visible: (u) => notMe(u) && !u.disabled,
      confirm: (u) => ({
        title: `Sign ${u.name} out everywhere?`,
        description: "Every console session they have open ends at once; they can sign in again. API tokens keep working.",
        confirmLabel: "Sign out everywhere",
        destructive: true,
      }),
      run: (u) => signOut.mutateAsync(u.id),
      success: (u) => `${u.name} is signed out everywhere`,
    },
    {
      id: "toggle",
      label: (u) => (u.disabled ? "Enable" : "Disable"),
      iconFor: (u) => (u.disabled ? UserCheck : UserX),
      visible: notMe,
      confirm: (u) =>
        u.disabled
          ? {
              title: `Enable ${u.name}?`,
              description: `${u.name} will be able to sign in again as ${article(u.role)} ${u.role}. Sessions and tokens from before stay ended.`,
              confirmLabel: "Enable",
              destructive: false,
            }
          : {
              title: `Disable ${u.name}?`,
              description: "They are signed out at once and can no longer sign in or use their API tokens. You can enable them again later.",
              confirmLabel: "Disable",
              destructive: true,
            },
      run: (u) => update.mutateAsync({ id: u.id, patch: { disabled: !u.disabled } }),
      success: (u) => (u.disabled ? `${u.name} can sign in again` : `${u.name} is disabled`),
    },
  ];

  const create = (
    <Button onClick={() => setCreating(true)}>
      <UserPlus aria-hidden />
      Create user
    </Button>
  );

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Users"
        description={
          manage
            ? "People who sign in to Portcullis, with their role. Changes apply at once, including to sessions already open."
            : "People who sign in to Portcullis, with their role. You can review this list; changing it needs the users.manage permission."
        }
        actions={manage ? create : undefined}
      />

      <DataList
        query={users}
        columns={COLUMNS(me.id)}
        rowKey={(u) => u.id}
        rowLabel={(u) => u.name}
        caption="Users"
        noun={["user", "users"]}
        actions={manage ? actions : undefined}
        rowClassName={(u) => (u.disabled ? "text-muted-foreground" : undefined)}
        search={{ value: search, onChange: setSearch, label: "Search users by name or e-mail", placeholder: "Search by name or e-mail" }}
        filtered={q !== ""}
        emptyFiltered={{ title: `No users match “${q}”`, description: "Search looks at names and e-mail addresses." }}
        empty={{
          icon: Users,
          title: "No users yet",
          description: "Create the first user, or let people sign in with single sign-on.",
          action: manage ? (
            <Button size="sm" onClick={() => setCreating(true)}>
              <UserPlus aria-hidden />
              Create user
            </Button>
          ) : undefined,
        }}
      />

      {manage && (
        <>
          <CreateUserDialog open={creating} onOpenChange={setCreating} />
          <ChangeRoleDialog user={changingRole} onOpenChange={(open) => !open && setChangingRole(null)} />
        </>
      )}
    </div>
  );
}
