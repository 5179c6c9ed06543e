"use client";

import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

/** The foot of a paginated list: a "Load more" button, or how many rows there are. */
export function LoadMore({
  count,
  noun,
  hasNextPage,
  isFetchingNextPage,
  isError,
  fetchNextPage,
}: {
  count: number;
  noun: [singular: string, plural: string];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isError?: boolean;
  fetchNextPage: () => unknown;
}) {
  if (count === 0) return null;
  return (
    <div className="flex flex-col items-center gap-2">
      {hasNextPage ? (
        <Button variant="secondary" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
          {isFetchingNextPage && <Spinner />}
          {isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      ) : (
        <p className="text-sm text-muted-foreground">
          {count} {count === 1 ? noun[0] : noun[1]}
        </p>
      )}
      {isError && <p className="text-sm text-destructive">Could not load more. Try again.</p>}
    </div>
  );
}
