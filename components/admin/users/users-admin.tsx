"use client";

import { useDeferredValue, useMemo, useState } from "react";
import { Search, UserPlus, Users } from "lucide-react";
import { LoadMore } from "@/components/admin/load-more";
import { CreateUserDialog } from "@/components/admin/users/create-user-dialog";
import { UsersTable } from "@/components/admin/users/users-table";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { useUsersQuery } from "@/lib/client/users";

/** Admin > Users: people who sign in to the console; create, change role, disable. */
export function UsersAdmin() {
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const [creating, setCreating] = useState(false);
  const users = useUsersQuery(q);
  const rows = useMemo(() => users.data?.pages.flatMap((p) => p.items) ?? [], [users.data]);

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Users"
        description="People who sign in to Portcullis, with their role. Changes apply at once, including to sessions already open."
        actions={
          <Button onClick={() => setCreating(true)}>
            <UserPlus aria-hidden />
            Create user
          </Button>
        }
      />

      <div className="relative max-w-sm" role="search">
        <Search aria-hidden className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
        <Input
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="Search by name or e-mail"
          aria-label="Search users by name or e-mail"
          className="pl-9"
        />
        {users.isFetching && !users.isPending && !users.isFetchingNextPage && (
          <span className="absolute top-1/2 right-3 -translate-y-1/2 text-muted-foreground">
            <Spinner label="Searching" />
          </span>
        )}
      </div>

      <Card className="overflow-hidden">
        {users.isPending ? (
          <TableSkeleton rows={6} columns={5} label="Loading users" />
        ) : users.isError ? (
          <ErrorState error={users.error} title="Could not load users" onRetry={() => void users.refetch()} />
        ) : rows.length === 0 ? (
          q ? (
            <EmptyState icon={Search} title={`No users match “${q}”`} description="Search looks at names and e-mail addresses." />
          ) : (
            <EmptyState
              icon={Users}
              title="No users yet"
              description="Create the first user, or let people sign in with single sign-on."
              action={
                <Button size="sm" onClick={() => setCreating(true)}>
                  <UserPlus aria-hidden />
                  Create user
                </Button>
              }
            />
          )
        ) : (
          <UsersTable users={rows} />
        )}
      </Card>

      <LoadMore
        count={rows.length}
        noun={["user", "users"]}
        hasNextPage={users.hasNextPage}
        isFetchingNextPage={users.isFetchingNextPage}
        isError={users.isFetchNextPageError}
        fetchNextPage={users.fetchNextPage}
      />

      <CreateUserDialog open={creating} onOpenChange={setCreating} />
    </div>
  );
}
