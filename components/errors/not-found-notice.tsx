import Link from "next/link";
import { Compass } from "lucide-react";
import { buttonClasses } from "@/components/ui/button";

export function NotFoundNotice() {
  return (
    <div className="mx-auto flex max-w-lg flex-col items-center gap-5 py-16 text-center">
      <div className="flex size-12 items-center justify-center rounded-full bg-muted">
        <Compass aria-hidden className="size-6 text-muted-foreground" />
      </div>
      <div className="grid gap-2">
        <p className="text-sm font-medium text-muted-foreground">404 · Not found</p>
        <h1 className="text-2xl font-semibold tracking-tight">There is nothing here</h1>
        <p className="text-sm text-muted-foreground">The address may be mistyped, or what it pointed to was removed.</p>
      </div>
      <Link href="/" className={buttonClasses("secondary")}>
        Back to the dashboard
      </Link>
    </div>
  );
}
