import { Minus, Plus, type LucideIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/client/cn";

/** A change a reviewer must not miss (keys, redirect URIs): amber with its count when there is one. */
export function ChangePanel({
  title,
  icon: Icon,
  count,
  first,
  none,
  description,
  children,
}: {
  title: string;
  icon: LucideIcon;
  count: number;
  first: boolean;
  none: string;
  description: string;
  children: React.ReactNode;
}) {
  const changed = count > 0;
  const id = `panel-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section
      aria-labelledby={id}
      className={cn(
        "grid content-start gap-2 rounded-xl border p-4",
        changed ? "border-amber-300 bg-amber-50/70 dark:border-amber-500/40 dark:bg-amber-500/10" : "bg-card",
      )}
    >
      <h2 id={id} className="flex items-center gap-2 text-base font-semibold">
        <Icon aria-hidden className={cn("size-4", changed ? "text-amber-700 dark:text-amber-300" : "text-muted-foreground")} />
        {title}
        <Badge tone={changed ? "warning" : "neutral"}>{changed ? `${count} change${count === 1 ? "" : "s"}` : "none"}</Badge>
      </h2>
      {changed ? (
        <>
          <p className="text-xs text-muted-foreground">{first ? "The first version: all of these are new." : description}</p>
          <ul className="grid gap-1.5">{children}</ul>
        </>
      ) : (
        <p className="text-sm text-muted-foreground">{first ? "None in the first version." : none}</p>
      )}
    </section>
  );
}

export function ChangeLine({ kind, label, detail }: { kind: "added" | "removed"; label: string; detail?: string }) {
  const Icon = kind === "added" ? Plus : Minus;
  return (
    <li className="flex gap-2 text-sm">
      <Icon aria-hidden className={cn("mt-0.5 size-4 shrink-0", kind === "added" ? "text-emerald-700 dark:text-emerald-300" : "text-red-700 dark:text-red-300")} />
      <span className="grid min-w-0">
        <span className="font-mono text-xs break-all">
          <span className="sr-only">{kind}: </span>
          {label}
        </span>
        {detail && <span className="font-mono text-[11px] break-all text-muted-foreground">{detail}</span>}
      </span>
    </li>
  );
}
