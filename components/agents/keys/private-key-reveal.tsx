"use client";

import Link from "next/link";
import { Download, TriangleAlert } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import type { KeyChange } from "@/lib/client/agents";

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The private key, once: PEM and JWK, to copy or download, and what happens next. */
export function PrivateKeyReveal({ slug, made, onDone }: { slug: string; made: KeyChange; onDone: () => void }) {
  const pem = made.privateKey!.pem;
  const jwk = JSON.stringify(made.privateKey!.jwk, null, 2);
  const file = `${slug}-${made.key.kid.slice(0, 16)}`;
  return (
    <div className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Save the private key now</DialogTitle>
        <DialogDescription>
          Key <code className="font-mono text-xs text-foreground">{made.key.kid}</code> ({made.key.alg}). Install it where {slug} signs its client assertions.
        </DialogDescription>
      </DialogHeader>
      <div className="flex gap-2.5 rounded-lg border border-amber-200 bg-amber-50 px-3.5 py-3 text-sm text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100">
        <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
        <p>
          <strong className="font-medium">This is the only time it is shown.</strong> Portcullis keeps only the public key. If the private key is lost, generate a new one and retire this
          one.
        </p>
      </div>
      <div className="grid gap-2">
        <label htmlFor="private-key-pem" className="text-sm font-medium">
          Private key (PKCS#8 PEM)
        </label>
        <textarea
          id="private-key-pem"
          readOnly
          value={pem}
          rows={7}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
          className="w-full resize-y rounded-md border border-input bg-muted px-3 py-2 font-mono text-xs text-foreground"
        />
        <div className="flex flex-wrap gap-2">
          <CopyButton value={pem} label="Copy PEM" />
          <Button variant="secondary" size="sm" onClick={() => download(`${file}.pem`, pem, "application/x-pem-file")}>
            <Download aria-hidden />
            Download .pem
          </Button>
          <CopyButton value={jwk} label="Copy as JWK" />
          <Button variant="secondary" size="sm" onClick={() => download(`${file}.jwk.json`, jwk, "application/json")}>
            <Download aria-hidden />
            Download JWK
          </Button>
        </div>
      </div>
      <Alert tone="info" title={`Version ${made.version.number} went to review`}>
        The public key is served once an approver approves that version; until then the agent&apos;s current keys stay as they are.{" "}
        <Link href={`/servers/reviews/${encodeURIComponent(made.review.id)}`} className="font-medium underline underline-offset-4">
          Open the review
        </Link>
      </Alert>
      <DialogFooter>
        <Button onClick={onDone}>I&apos;ve saved the private key</Button>
      </DialogFooter>
    </div>
  );
}
