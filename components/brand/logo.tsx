import { cn } from "@/lib/client/cn";

/** The Portcullis mark: a gate under an arch. Inline SVG, no asset to fetch. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden className={cn("size-8", className)}>
      <rect width="32" height="32" rx="8" className="fill-primary" />
      <path
        d="M8 25V14a8 8 0 0 1 16 0v11M12.5 25V9.2M16 25V8M19.5 25V9.2M8 15.5h16M8 20.5h16"
        fill="none"
        strokeWidth="2"
        strokeLinecap="round"
        className="stroke-primary-foreground"
      />
    </svg>
  );
}

export function Logo({ className }: { className?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-2.5", className)}>
      <LogoMark />
      <span className="text-base font-semibold tracking-tight">Portcullis</span>
    </span>
  );
}
