"use client";

import { useCallback, useRef, useState } from "react";
import { MoreHorizontal, Search, type LucideIcon } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { errorMessage } from "@/lib/client/api";
import { cn } from "@/lib/client/cn";
import { rowsOf, type ListQueryResult } from "@/lib/client/list-query";
import { useMediaQuery } from "@/lib/client/use-media-query";

// The one list of the console: loading, error (with retry), empty (with a call to action), rows
// from column definitions, row actions (confirmed when they are hard to undo), load-more over the
// API's cursor, and a search box. From `sm` up it is a table; narrower, each row becomes a card
// with every column labelled and its actions on their own line, so nothing is cut or pushed off
// the screen. A new list is a set of columns and actions, not a copy of the last page.

export interface Column<T> {
  id: string;
  header: string;
  cell: (row: T) => React.ReactNode;
  /** Classes for the table cell (e.g. "whitespace-nowrap"). */
  className?: string;
  headerClassName?: string;
  /** The column that names the row: first in the table, the card's title on phones. */
  primary?: boolean;
  /** Leave the column out of the phone card (when the title already says it). */
  hideOnCard?: boolean;
}

export interface ConfirmSpec {
  title: string;
  description: React.ReactNode;
  confirmLabel: string;
  destructive?: boolean;
}

export interface RowAction<T> {
  id: string;
  label: string | ((row: T) => string);
  /** Accessible name; by default "<label> <row label>". */
  ariaLabel?: (row: T) => string;
  icon?: LucideIcon;
  /** When the icon depends on the row (e.g. enable vs disable). */
  iconFor?: (row: T) => LucideIcon;
  /** Shown as a button in the row; otherwise an item in the row's "More actions" menu. */
  inline?: boolean;
  destructive?: boolean;
  visible?: (row: T) => boolean;
  disabled?: (row: T) => boolean;
  /** Asks first; `run` happens after "confirm", with the dialog showing progress until it settles. */
  confirm?: (row: T) => ConfirmSpec;
  /** The action itself; a rejection is shown as a toast with the API's message. */
  run?: (row: T) => Promise<unknown> | void;
  /** A toast after `run` succeeds. */
  success?: (row: T) => string;
  /** Instead of run/confirm: open something of the caller's own (e.g. a dialog with a form). */
  onSelect?: (row: T) => void;
}

export interface EmptySpec {
  icon?: LucideIcon;
  title: string;
  description?: React.ReactNode;
  action?: React.ReactNode;
}

export interface DataListProps<T> {
  query: ListQueryResult<T>;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** Names the row in action labels and the phone card ("Revoke <rowLabel>"). */
  rowLabel: (row: T) => string;
  /** The table's caption / the card list's label, e.g. "Users". */
  caption: string;
  noun: [singular: string, plural: string];
  actions?: RowAction<T>[];
  rowClassName?: (row: T) => string | undefined;
  empty: EmptySpec;
  /** What to say when a search or filter matched nothing (defaults to a generic message). */
  emptyFiltered?: EmptySpec;
  /** Whether a search or filter is active (chooses emptyFiltered over empty). */
  filtered?: boolean;
  search?: { value: string; onChange: (value: string) => void; label: string; placeholder?: string };
  /** Filters beside the search box. */
  toolbar?: React.ReactNode;
  className?: string;
}

export function DataList<T>(props: DataListProps<T>) {
  const { query, columns, noun, empty, emptyFiltered, filtered, search, toolbar, className } = props;
  const wide = useMediaQuery("(min-width: 40rem)");
  const rows = rowsOf(query);
  const [confirming, setConfirming] = useState<{ row: T; action: RowAction<T>; spec: ConfirmSpec } | null>(null);
  const [running, setRunning] = useState(false);

  async function perform(action: RowAction<T>, row: T) {
    if (!action.run) return;
    setRunning(true);
    try {
      await action.run(row);
      if (action.success) toast.success(action.success(row));
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setRunning(false);
      setConfirming(null);
    }
  }

  function select(action: RowAction<T>, row: T) {
    if (action.onSelect) action.onSelect(row);
    else if (action.confirm) setConfirming({ row, action, spec: action.confirm(row) });
    else void perform(action, row);
  }

  const emptySpec = filtered ? (emptyFiltered ?? { icon: Search, title: "Nothing matches", description: "Try other words or clear the filters." }) : empty;
  const showSearching = query.isFetching && !query.isPending && !query.isFetchingNextPage;

  return (
    <div className={cn("grid gap-4", className)}>
      {(search || toolbar) && (
        <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
          {search && (
            <div className="relative w-full sm:max-w-sm" role="search">
              <Search aria-hidden className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
              <Input
                type="search"
                value={search.value}
                onChange={(e) => search.onChange(e.target.value)}
                placeholder={search.placeholder}
                aria-label={search.label}
                className="pr-9 pl-9"
              />
              {showSearching && (
                <span className="absolute top-1/2 right-3 -translate-y-1/2 text-muted-foreground">
                  <Spinner label="Searching" />
                </span>
              )}
            </div>
          )}
          {toolbar && <div className="flex flex-wrap items-center gap-2">{toolbar}</div>}
        </div>
      )}

      <Card className="overflow-hidden" data-focus-fallback tabIndex={-1}>
        {query.isPending ? (
          <TableSkeleton rows={5} columns={Math.min(columns.length, wide ? 5 : 2)} label={`Loading ${noun[1]}`} />
        ) : query.isError && rows.length === 0 ? (
          <ErrorState error={query.error} title={`Could not load ${noun[1]}`} onRetry={() => void query.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState icon={emptySpec.icon} title={emptySpec.title} description={emptySpec.description} action={emptySpec.action} />
        ) : wide ? (
          <ListTable {...props} rows={rows} onAction={select} busy={running} />
        ) : (
          <ListCards {...props} rows={rows} onAction={select} busy={running} />
        )}
      </Card>

      <LoadMore
        count={rows.length}
        noun={noun}
        hasNextPage={query.hasNextPage}
        isFetchingNextPage={query.isFetchingNextPage}
        isError={query.isFetchNextPageError}
        fetchNextPage={query.fetchNextPage}
      />

      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => !open && setConfirming(null)}
        title={confirming?.spec.title ?? ""}
        description={confirming?.spec.description ?? ""}
        confirmLabel={confirming?.spec.confirmLabel ?? "Confirm"}
        destructive={confirming?.spec.destructive ?? confirming?.action.destructive}
        pending={running}
        onConfirm={() => confirming && void perform(confirming.action, confirming.row)}
      />
    </div>
  );
}

interface RowsProps<T> extends DataListProps<T> {
  rows: T[];
  busy: boolean;
  onAction: (action: RowAction<T>, row: T) => void;
}

function labelOf<T>(action: RowAction<T>, row: T) {
  return typeof action.label === "function" ? action.label(row) : action.label;
}

function visibleActions<T>(actions: RowAction<T>[] | undefined, row: T) {
  const list = (actions ?? []).filter((a) => a.visible?.(row) ?? true);
  return { inline: list.filter((a) => a.inline), menu: list.filter((a) => !a.inline) };
}

function RowActions<T>({ row, rowLabel, actions, onAction, busy, stretch }: Pick<RowsProps<T>, "rowLabel" | "actions" | "onAction" | "busy"> & { row: T; stretch?: boolean }) {
  const { inline, menu } = visibleActions(actions, row);
  if (!inline.length && !menu.length) return null;
  const name = rowLabel(row);
  return (
    <div className={cn("flex items-center gap-2", stretch ? "flex-wrap" : "justify-end")}>
      {inline.map((a) => {
        const Icon = a.iconFor?.(row) ?? a.icon;
        return (
          <Button
            key={a.id}
            size="sm"
            variant={a.destructive ? "destructive-outline" : "secondary"}
            disabled={busy || a.disabled?.(row)}
            onClick={() => onAction(a, row)}
            aria-label={a.ariaLabel?.(row) ?? `${labelOf(a, row)} ${name}`}
          >
            {Icon && <Icon aria-hidden />}
            {labelOf(a, row)}
          </Button>
        );
      })}
      {menu.length > 0 && (
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button variant="ghost" size="icon-sm" aria-label={`More actions for ${name}`} disabled={busy}>
              <MoreHorizontal aria-hidden />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            {menu.map((a) => {
              const Icon = a.iconFor?.(row) ?? a.icon;
              return (
                <DropdownMenuItem
                  key={a.id}
                  disabled={a.disabled?.(row)}
                  onSelect={() => onAction(a, row)}
                  className={cn(a.destructive && "text-destructive [&_svg]:text-destructive")}
                >
                  {Icon && <Icon aria-hidden />}
                  {labelOf(a, row)}
                </DropdownMenuItem>
              );
            })}
          </DropdownMenuContent>
        </DropdownMenu>
      )}
    </div>
  );
}

/** Whether a scroll container has more to the right: the sticky actions column then casts a shadow. */
function useMoreToTheRight() {
  const [more, setMore] = useState(false);
  const cleanup = useRef<(() => void) | null>(null);
  const ref = useCallback((el: HTMLDivElement | null) => {
    cleanup.current?.();
    cleanup.current = null;
    if (!el) return;
    const check = () => setMore(el.scrollLeft + el.clientWidth < el.scrollWidth - 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    el.addEventListener("scroll", check, { passive: true });
    cleanup.current = () => {
      observer.disconnect();
      el.removeEventListener("scroll", check);
    };
  }, []);
  return [ref, more] as const;
}

function ListTable<T>(props: RowsProps<T>) {
  const { rows, columns, rowKey, caption, actions, rowClassName } = props;
  const hasActions = (actions?.length ?? 0) > 0;
  const [containerRef, more] = useMoreToTheRight();
  const sticky = cn("sticky right-0", more && "shadow-[-12px_0_12px_-12px_rgb(0_0_0/0.25)]");
  return (
    <Table containerRef={containerRef}>
      <caption className="sr-only">{caption}</caption>
      <TableHeader>
        <TableRow>
          {columns.map((c) => (
            <TableHead key={c.id} className={cn("px-3 first:pl-4", c.headerClassName)}>
              {c.header}
            </TableHead>
          ))}
          {hasActions && (
            <TableHead className={cn(sticky, "bg-[color-mix(in_oklab,var(--color-muted)_60%,var(--color-card))] text-right")}>
              <span className="sr-only">Actions</span>
            </TableHead>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow
            key={rowKey(row)}
            data-focus-fallback
            tabIndex={-1}
            className={cn("group/row outline-none hover:bg-muted/40 focus-visible:bg-muted/40", rowClassName?.(row))}
          >
            {columns.map((c) => (
              <TableCell key={c.id} className={cn("px-3 first:pl-4", c.className)}>
                {c.cell(row)}
              </TableCell>
            ))}
            {hasActions && (
              // Sticky: when a wide table scrolls sideways, the actions stay in reach.
              <TableCell className={cn(sticky, "bg-card text-right group-hover/row:bg-[color-mix(in_oklab,var(--color-muted)_40%,var(--color-card))]")}>
                <RowActions {...props} row={row} />
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function ListCards<T>(props: RowsProps<T>) {
  const { rows, columns, rowKey, caption, rowClassName } = props;
  const primary = columns.find((c) => c.primary) ?? columns[0];
  const rest = columns.filter((c) => c !== primary && !c.hideOnCard);
  return (
    <ul aria-label={caption} className="divide-y">
      {rows.map((row) => (
        <li key={rowKey(row)} data-focus-fallback tabIndex={-1} className={cn("grid gap-3 p-4 outline-none focus-visible:bg-muted/40", rowClassName?.(row))}>
          <div className="min-w-0 break-words">{primary.cell(row)}</div>
          {rest.length > 0 && (
            <dl className="grid grid-cols-[minmax(5.5rem,auto)_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
              {rest.map((c) => (
                <div key={c.id} className="contents">
                  <dt className="text-xs font-medium text-muted-foreground">{c.header}</dt>
                  <dd className="min-w-0 break-words">{c.cell(row)}</dd>
                </div>
              ))}
            </dl>
          )}
          <RowActions {...props} row={row} stretch />
        </li>
      ))}
    </ul>
  );
}

/** The foot of a paginated list: "Load more", or how many rows there are. */
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
          {isFetchingNextPage ? "Loading…" : isError ? "Try again" : "Load more"}
        </Button>
      ) : (
        <p className="text-sm text-muted-foreground">
          {count} {count === 1 ? noun[0] : noun[1]}
        </p>
      )}
      {isError && (
        <p role="alert" className="text-sm text-destructive">
          Could not load more. Try again.
        </p>
      )}
    </div>
  );
}
