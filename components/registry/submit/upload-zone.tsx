"use client";

import { useId, useState } from "react";
import { Upload } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { cn } from "@/lib/client/cn";
import { useFileDrop } from "@/lib/client/use-file-drop";

// The API takes request bodies up to 1 MiB, and the document travels inside { "document": … }.
const MAX_FILE_BYTES = 1_000_000;

/**
 * The upload tab: a drop zone that is also the label of a (visually hidden, focusable) file
 * input, so Tab reaches it and Enter or Space opens the file picker.
 */
export function UploadZone({ onLoaded }: { onLoaded: (text: string, fileName: string) => void }) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);

  const { over, handlers } = useFileDrop((file) => void read(file));

  async function read(file: File | undefined) {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setProblem(`${file.name} is ${Math.ceil(file.size / 1024)} KB; a server.json may be at most ${MAX_FILE_BYTES / 1000} KB.`);
      return;
    }
    try {
      const text = await file.text();
      setProblem(null);
      onLoaded(text, file.name);
    } catch {
      setProblem(`${file.name} could not be read. Try again, or paste its contents instead.`);
    }
  }

  return (
    <div className="grid gap-3">
      <label
        htmlFor={id}
        data-over={over || undefined}
        {...handlers}
        className={cn(
          "flex min-h-64 cursor-pointer flex-col items-center justify-center gap-3 rounded-xl border-2 border-dashed border-input bg-muted/30 px-6 py-10 text-center transition-colors",
          "hover:border-ring/60 hover:bg-muted/60 focus-within:border-ring focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-ring",
          "data-[over]:border-primary data-[over]:bg-accent",
        )}
      >
        <span className="flex size-11 items-center justify-center rounded-full bg-card shadow-xs ring-1 ring-border">
          <Upload aria-hidden className="size-5 text-muted-foreground" />
        </span>
        <span className="grid gap-1">
          <span className="font-medium">Drop a server.json file here</span>
          <span className="text-sm text-muted-foreground">
            or <span className="font-medium text-primary underline-offset-4 hover:underline">choose a file</span> (.json, up to 1 MB). It opens in the
            JSON editor, where you can check and change it.
          </span>
        </span>
        <input
          id={id}
          type="file"
          accept=".json,application/json"
          className="sr-only"
          onChange={(e) => {
            void read(e.target.files?.[0]);
            e.target.value = "";
          }}
        />
      </label>
      {problem && <Alert title="The file was not loaded">{problem}</Alert>}
    </div>
  );
}
