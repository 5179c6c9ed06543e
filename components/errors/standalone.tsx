import { Logo } from "@/components/brand/logo";

/** Frame for pages outside the console shell (root 403/404/error): the logo and a centred card. */
export function StandalonePage({ children }: { children: React.ReactNode }) {
  return (
    <main id="main" className="flex min-h-dvh flex-col items-center justify-center gap-6 px-4 py-10">
      <Logo />
      <div className="w-full max-w-xl rounded-xl border bg-card px-6 shadow-xs">{children}</div>
    </main>
  );
}
