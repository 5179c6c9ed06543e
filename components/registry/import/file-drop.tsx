"use client";

import { useId, useRef } from "react";
import { FileUp } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/client/cn";
import { useFileDrop } from "@/lib/client/use-file-drop";

/**
 * A drop zone with a "Choose a file" button: the button (a real button, so Tab and Enter reach
 * it) opens the file picker; dropping a file anywhere on the zone does the same as picking it.
 */
export function FileDrop({ onFile, disabled }: { onFile: (file: File) => void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const { over, handlers } = useFileDrop((file) => file && onFile(file), disabled);
  const hint = useId();
  return (
    <div
      {...handlers}
      data-testid="import-drop-zone"
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-xl border-2 border-dashed px-6 py-10 text-center transition-colors",
        over ? "border-primary bg-accent/60" : "border-border bg-muted/30",
        disabled && "opacity-60",
      )}
    >
      <div className="flex size-11 items-center justify-center rounded-full bg-card shadow-xs ring-1 ring-border">
        <FileUp aria-hidden className="size-5 text-muted-foreground" />
      </div>
      <div className="grid gap-1">
        <p className="font-medium">Drop a server.json file here</p>
        <p id={hint} className="text-sm text-muted-foreground">
          One document or an array of them (JSON). Nothing is sent until you start the import.
        </p>
      </div>
      <Button variant="secondary" onClick={() => input.current?.click()} disabled={disabled} aria-describedby={hint}>
        Choose a file
      </Button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        className="sr-only"
        tabIndex={-1}
        aria-label="server.json file"
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onFile(file);
          e.target.value = "";
        }}
      />
    </div>
  );
}
