"use client";

import { useRef, useState } from "react";
import { FileJson, Upload } from "lucide-react";
import { useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { FileDrop } from "@/components/registry/import/file-drop";
import { ImportReportView } from "@/components/registry/import/import-report";
import { errorMessage } from "@/lib/client/api";
import { runImport } from "@/lib/client/import";
import { queryKeys } from "@/lib/client/query-keys";
import { ImportFileError, parseImportFile, type ImportReport } from "@/lib/registry/import-file";

// Import servers from a file: picked or dropped, parsed here in the browser (so a broken file is
// explained before anything is sent), then sent in chunks under one batch id with a progress bar,
// then the report. The server judges every document; this page only shows what it said.

type Phase =
  | { kind: "idle" }
  | { kind: "ready"; file: string; docs: unknown[] }
  | { kind: "running"; file: string; docs: unknown[]; done: number }
  | { kind: "finished"; file: string; docs: unknown[]; report: ImportReport; error?: unknown; stopped?: boolean; done: number };

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export function ImportProgress({ done, total }: { done: number; total: number }) {
  const pct = total === 0 ? 0 : Math.round((done / total) * 100);
  const text = `${done.toLocaleString()} of ${total.toLocaleString()} documents`;
  return (
    <div className="grid gap-2">
      <div className="flex items-center justify-between text-sm">
        <span className="font-medium">{text}</span>
        <span className="text-muted-foreground tabular-nums">{pct}%</span>
      </div>
      <div
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={text}
        className="h-2.5 w-full overflow-hidden rounded-full bg-muted ring-1 ring-border ring-inset"
      >
        <div className="h-full rounded-full bg-primary transition-[width] duration-300 ease-out" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

export function ServerImport() {
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [fileError, setFileError] = useState<{ file: string; message: string } | null>(null);
  const stop = useRef(false);
  const queryClient = useQueryClient();

  async function pick(file: File) {
    setFileError(null);
    setPhase({ kind: "idle" });
    try {
      const docs = parseImportFile(await file.text());
      setPhase({ kind: "ready", file: file.name, docs });
    } catch (err) {
      setFileError({ file: file.name, message: err instanceof ImportFileError ? err.message : "The file could not be read." });
    }
  }

  async function start(file: string, docs: unknown[]) {
    stop.current = false;
    setPhase({ kind: "running", file, docs, done: 0 });
    const run = await runImport(docs, {
      onProgress: (done) => setPhase({ kind: "running", file, docs, done }),
      shouldStop: () => stop.current,
    });
    setPhase({ kind: "finished", file, docs, report: run.report, error: run.error, stopped: run.stopped, done: run.done });
    // The catalog, the review queue and the dashboard counts have changed.
    void queryClient.invalidateQueries({ predicate: (q) => ["servers", "reviews", queryKeys.stats[0]].includes(String(q.queryKey[0])) });
  }

  const busy = phase.kind === "running";
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Import servers"
        description="Upload a server.json file, or an array of them. Each document is checked against the server.json schema and submitted for review on its own; one bad document never stops the others."
      />

      <Card>
        <CardContent className="grid gap-5 pt-5">
          <FileDrop onFile={(f) => void pick(f)} disabled={busy} />

          {fileError && (
            <Alert title={`Cannot import ${fileError.file}`}>{fileError.message}</Alert>
          )}

          {phase.kind !== "idle" && (
            <div className="flex flex-col gap-4 rounded-lg border bg-muted/30 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
              <div className="flex min-w-0 items-center gap-3">
                <FileJson aria-hidden className="size-5 shrink-0 text-muted-foreground" />
                <div className="grid min-w-0">
                  <span className="truncate font-medium">{phase.file}</span>
                  <span className="text-xs text-muted-foreground">{plural(phase.docs.length, "document")}</span>
                </div>
              </div>
              {phase.kind === "ready" && (
                <Button onClick={() => void start(phase.file, phase.docs)}>
                  <Upload aria-hidden />
                  Import {plural(phase.docs.length, "document")}
                </Button>
              )}
              {phase.kind === "running" && (
                <Button variant="secondary" onClick={() => (stop.current = true)}>
                  <Spinner />
                  Stop after this part
                </Button>
              )}
              {phase.kind === "finished" && (
                <Button variant="secondary" onClick={() => void start(phase.file, phase.docs)}>
                  Import again
                </Button>
              )}
            </div>
          )}

          {(phase.kind === "running" || phase.kind === "finished") && (
            <div aria-live="polite">
              <ImportProgress done={phase.done} total={phase.docs.length} />
            </div>
          )}

          {phase.kind === "finished" && phase.error !== undefined && (
            <Alert title="The import stopped early">
              {errorMessage(phase.error)} {plural(phase.done, "document")} of {phase.docs.length.toLocaleString()} were handled; importing the file again reports those unchanged.
            </Alert>
          )}
          {phase.kind === "finished" && phase.stopped && (
            <Alert tone="warning" title="Import stopped">
              You stopped the import after {plural(phase.done, "document")}. Importing the file again reports those unchanged and goes on with the rest.
            </Alert>
          )}
        </CardContent>
      </Card>

      {phase.kind === "finished" && <ImportReportView report={phase.report} total={phase.docs.length} />}
    </div>
  );
}
