import { Braces } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { ServerJson } from "@/lib/registry/server-json";

/** The form's server.json, read-only and always current; "Edit as JSON" carries it to the editor. */
export function FormPreview({ document, onEditAsJson }: { document: ServerJson; onEditAsJson: () => void }) {
  return (
    <aside aria-labelledby="submit-preview" className="grid content-start gap-3 @5xl:sticky @5xl:top-4 @5xl:self-start">
      <div className="flex items-center justify-between gap-2">
        <h3 id="submit-preview" className="text-sm font-semibold">
          server.json preview
        </h3>
        <Button variant="secondary" size="sm" onClick={onEditAsJson}>
          <Braces aria-hidden />
          Edit as JSON
        </Button>
      </div>
      <pre
        tabIndex={0}
        aria-label="server.json built from the form"
        className="max-h-[36rem] overflow-auto rounded-lg border bg-muted/40 p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap text-foreground [overflow-wrap:anywhere] focus-visible:outline-2 focus-visible:outline-ring"
      >
        {JSON.stringify(document, null, 2)}
      </pre>
      <p className="text-xs text-muted-foreground">Editing as JSON moves this document to the Paste JSON tab; the form stays as it is.</p>
    </aside>
  );
}
