"use client";

import { TriangleAlert } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";

/** Shows a new secret (an API token by default) exactly once, with a copy button and a clear warning. */
export function SecretReveal({
  title,
  subject,
  token,
  onDone,
  description,
  label = "Token",
}: {
  title: string;
  subject: string;
  token: string;
  onDone: () => void;
  /** How to use it, when it is not an API token. */
  description?: React.ReactNode;
  label?: string;
}) {
  return (
    <div className="grid gap-4">
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>
          {description ?? (
            <>
              The API token for <strong className="font-medium text-foreground">{subject}</strong>. Send it as{" "}
              <code className="font-mono text-xs text-foreground">Authorization: Bearer &lt;token&gt;</code>.
            </>
          )}
        </DialogDescription>
      </DialogHeader>
      <div className="flex gap-2.5 rounded-lg border border-amber-200 bg-amber-50 px-3.5 py-3 text-sm text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100">
        <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
        <p>
          <strong className="font-medium">Copy it now: it won&apos;t be shown again.</strong> Portcullis keeps only a hash. If it
          is lost, revoke it and issue a new one.
        </p>
      </div>
      <div className="grid gap-2">
        <label htmlFor="new-token" className="text-sm font-medium">
          {label}
        </label>
        <div className="flex gap-2">
          <input
            id="new-token"
            readOnly
            value={token}
            onFocus={(e) => e.currentTarget.select()}
            spellCheck={false}
            className="h-9 min-w-0 flex-1 rounded-md border border-input bg-muted px-3 font-mono text-xs text-foreground"
          />
          <CopyButton value={token} className="h-9" />
        </div>
      </div>
      <DialogFooter>
        <Button onClick={onDone}>I&apos;ve copied it</Button>
      </DialogFooter>
    </div>
  );
}
