"use client";

import { Braces, ListTree } from "lucide-react";
import { Tabs } from "radix-ui";
import { cn } from "@/lib/client/cn";

// The tabs of the console's document editors (server.json, client metadata, policies).

export const TAB_CLASSES = cn(
  "inline-flex cursor-pointer items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground transition-colors",
  "hover:text-foreground focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
  "data-[state=active]:bg-card data-[state=active]:text-foreground data-[state=active]:shadow-sm [&_svg]:size-4",
);

/** The header of a Form / Advanced (JSON) editor: the two tabs, and whatever sits beside them. */
export function FormJsonTabList({ label, children }: { label: string; children?: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 border-b bg-muted/60 p-1.5">
      <Tabs.List aria-label={label} className="flex flex-wrap gap-1">
        <Tabs.Trigger value="form" className={TAB_CLASSES}>
          <ListTree aria-hidden />
          Form
        </Tabs.Trigger>
        <Tabs.Trigger value="json" className={TAB_CLASSES}>
          <Braces aria-hidden />
          Advanced (JSON)
        </Tabs.Trigger>
      </Tabs.List>
      {children}
    </div>
  );
}
