"use client";

import { useEffect } from "react";
import { AlertTriangle, RotateCcw } from "lucide-react";
import { Button } from "@/components/ui/button";

/** The error boundary of a console section (error.tsx): a calm message and a retry. */
export function SegmentError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto flex max-w-lg flex-col items-center gap-4 py-16 text-center">
      <div className="flex size-12 items-center justify-center rounded-full bg-red-50 dark:bg-red-500/10">
        <AlertTriangle aria-hidden className="size-6 text-destructive" />
      </div>
      <div className="grid gap-1.5">
        <h1 className="text-xl font-semibold">This page could not be shown</h1>
        <p className="text-sm text-muted-foreground">
          Something went wrong on our side. Try again; if it keeps happening, give your administrator the reference
          below so they can find it in the server log.
        </p>
        {digest && (
          <p className="text-xs text-muted-foreground">
            Reference: <code className="font-mono">{digest}</code>
          </p>
        )}
      </div>
      <Button variant="secondary" onClick={() => retry()}>
        <RotateCcw aria-hidden />
        Try again
      </Button>
    </div>
  );
}
