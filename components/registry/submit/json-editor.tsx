"use client";

import { FileJson } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { EXAMPLE_TEXT } from "./example";

/** The paste tab: server.json as text, with a one-click example while it is empty. */
export function JsonEditor({
  id,
  value,
  onChange,
  textareaRef,
  describedBy,
  invalid,
  loadedFrom,
}: {
  id: string;
  value: string;
  onChange: (text: string) => void;
  textareaRef: React.Ref<HTMLTextAreaElement>;
  describedBy?: string;
  invalid: boolean;
  /** The file the text came from, when it was uploaded. */
  loadedFrom?: string | null;
}) {
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div className="grid gap-1">
          <Label htmlFor={id}>server.json</Label>
          <p className="text-xs text-muted-foreground">
            {loadedFrom ? (
              <>
                Loaded from <span className="font-medium text-foreground">{loadedFrom}</span>. Edit it here before you submit.
              </>
            ) : (
              "Paste the document your server publishes. It is checked as you type."
            )}
          </p>
        </div>
        {value.trim() !== "" && (
          <Button variant="ghost" size="sm" onClick={() => onChange("")}>
            Clear
          </Button>
        )}
      </div>
      <Textarea
        ref={textareaRef}
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        autoCorrect="off"
        wrap="off"
        rows={14}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        placeholder='{ "name": "io.github.example/weather", … }'
        className="min-h-56 resize-y font-mono text-[13px] leading-relaxed [tab-size:2]"
      />
      {value.trim() === "" && <ExampleHint onInsert={() => onChange(EXAMPLE_TEXT)} />}
    </div>
  );
}

function ExampleHint({ onInsert }: { onInsert: () => void }) {
  return (
    <div className="grid gap-3 rounded-lg border border-dashed bg-muted/40 p-4 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-start">
      <div className="grid gap-2">
        <p className="flex items-center gap-2 text-sm font-medium">
          <FileJson aria-hidden className="size-4 text-muted-foreground" />
          Nothing to check yet
        </p>
        <p className="text-sm text-muted-foreground">
          A server.json needs a <code className="font-mono text-foreground">name</code>,{" "}
          <code className="font-mono text-foreground">description</code> and <code className="font-mono text-foreground">version</code>,
          and usually a package to install or a remote to connect to. Start from this one and change it:
        </p>
        <pre className="overflow-x-auto rounded-md border bg-card p-3 font-mono text-xs leading-relaxed text-card-foreground">
          {EXAMPLE_TEXT}
        </pre>
      </div>
      <Button variant="secondary" size="sm" onClick={onInsert}>
        Insert example
      </Button>
    </div>
  );
}
