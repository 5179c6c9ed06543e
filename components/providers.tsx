"use client";

import { useState } from "react";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ThemeProvider } from "next-themes";
import { Toaster } from "@/components/ui/toaster";
import { ApiClientError } from "@/lib/client/api";

/** A 401 means the session ended (expired, signed out elsewhere, user disabled): sign in again. */
function onUnauthenticated(err: unknown) {
  if (err instanceof ApiClientError && err.status === 401 && typeof window !== "undefined") {
    const back = window.location.pathname + window.location.search;
    // A full load, not router.push: it drops every query cached for the ended session.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign(`/signin?callbackUrl=${encodeURIComponent(back)}`);
  }
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: onUnauthenticated }),
    mutationCache: new MutationCache({ onError: onUnauthenticated }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        retry: (failures, err) => !(err instanceof ApiClientError && err.status >= 400 && err.status < 500) && failures < 2,
      },
    },
  });
}

// next-themes' inline script runs from the server HTML before paint. Pages that Next renders in
// the browser instead (403/404 raised before streaming) would create it client-side, where it
// never runs and React warns; a data-block type there keeps it inert and quiet.
const THEME_SCRIPT_PROPS = { type: typeof window === "undefined" ? "text/javascript" : "text/template" };

export function Providers({ nonce, children }: { nonce?: string; children: React.ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  return (
    <ThemeProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      nonce={nonce}
      scriptProps={THEME_SCRIPT_PROPS}
    >
      <QueryClientProvider client={queryClient}>
        {children}
        <Toaster />
      </QueryClientProvider>
    </ThemeProvider>
  );
}
