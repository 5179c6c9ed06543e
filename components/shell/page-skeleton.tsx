import { Skeleton } from "@/components/ui/skeleton";

/** What a section shows while its page loads (loading.tsx). */
export function PageSkeleton({ variant }: { variant: "table" | "cards" | "text" }) {
  return (
    <div role="status" aria-live="polite" className="grid gap-8">
      <span className="sr-only">Loading…</span>
      <div className="grid gap-2">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-4 w-80 max-w-full" />
      </div>
      {variant === "cards" && (
        <div className="grid grid-cols-[repeat(auto-fill,minmax(10.5rem,1fr))] gap-4">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="h-28 rounded-xl" />
          ))}
        </div>
      )}
      {variant === "table" && (
        <div className="grid gap-3 rounded-xl border p-4">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-6" />
          ))}
        </div>
      )}
      {variant === "text" && <Skeleton className="h-64 rounded-xl" />}
    </div>
  );
}
