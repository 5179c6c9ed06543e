"use client";

import { useEffect, useRef } from "react";
import Link from "next/link";
import { CircleCheck, Plus } from "lucide-react";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import type { SubmitServerResponse } from "./use-submit-server";

/** What a successful submission shows instead of the editor. Its heading takes the focus. */
export function SuccessCard({ result, onAnother }: { result: SubmitServerResponse; onAnother: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const { server, version, warnings } = result;
  const approved = version.state === "approved";
  return (
    <Card>
      <CardContent className="flex flex-col items-start gap-4 p-6 sm:flex-row">
        <span className="flex size-11 shrink-0 items-center justify-center rounded-full bg-accent">
          <CircleCheck aria-hidden className="size-6 text-accent-foreground" />
        </span>
        <div className="grid min-w-0 gap-3">
          <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold break-words outline-none">
            Submitted <span className="font-mono">{server.name}</span> {version.version} {approved ? "(approved by an allow rule)" : "for review"}
          </h2>
          <div className="grid gap-1 text-sm text-muted-foreground">
            {!approved && <p>An approver checks it before it appears in the registry. You can follow the review on the server page.</p>}
            {server.created && <p>This is a new server in the registry, and you are its owner.</p>}
            {warnings.length > 0 && (
              <p>
                The reviewer will see {warnings.length === 1 ? "1 warning" : `${warnings.length} warnings`} with it.
              </p>
            )}
          </div>
          <div className="flex flex-wrap gap-2">
            <Link href={`/servers/${encodeURIComponent(server.id)}`} className={buttonClasses("primary")}>
              Open the server page
            </Link>
            <Button variant="secondary" onClick={onAnother}>
              <Plus aria-hidden />
              Submit another
            </Button>
          </div>
        </div>
      </CardContent>
    </Card>
  );
}
