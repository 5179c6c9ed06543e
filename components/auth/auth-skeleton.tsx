import { Skeleton } from "@/components/ui/skeleton";

export function AuthSkeleton() {
  return (
    <div role="status" className="flex min-h-dvh items-center justify-center px-4">
      <span className="sr-only">Loading…</span>
      <div className="grid w-full max-w-sm gap-4">
        <Skeleton className="mx-auto h-7 w-56" />
        <Skeleton className="h-72 rounded-xl" />
      </div>
    </div>
  );
}
