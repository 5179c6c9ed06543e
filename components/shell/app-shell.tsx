"use client";

import { useState } from "react";
import Link from "next/link";
import { Dialog as DialogPrimitive } from "radix-ui";
import { Menu, X } from "lucide-react";
import { Logo } from "@/components/brand/logo";
import { ConsoleNav } from "@/components/shell/nav";
import { UserPanel } from "@/components/shell/user-panel";
import { Button } from "@/components/ui/button";
import { overlayClasses } from "@/components/ui/dialog";

/** The signed-in frame: a sidebar on wide screens, a top bar with a slide-in menu on narrow ones. */
export function AppShell({ children }: { children: React.ReactNode }) {
  const [menuOpen, setMenuOpen] = useState(false);

  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[16rem_1fr]">
      <aside className="sticky top-0 hidden h-dvh flex-col border-r bg-sidebar lg:flex">
        <div className="flex h-16 items-center px-5">
          <Link href="/" className="rounded-md">
            <Logo />
          </Link>
        </div>
        <div className="flex-1 overflow-y-auto px-3 py-2">
          <ConsoleNav />
        </div>
        <UserPanel />
      </aside>

      <DialogPrimitive.Root open={menuOpen} onOpenChange={setMenuOpen}>
        <header className="sticky top-0 z-40 flex h-14 items-center gap-3 border-b bg-sidebar/95 px-4 backdrop-blur lg:hidden">
          <DialogPrimitive.Trigger asChild>
            <Button variant="ghost" size="icon-sm" aria-label="Open navigation">
              <Menu aria-hidden />
            </Button>
          </DialogPrimitive.Trigger>
          <Link href="/" className="rounded-md">
            <Logo />
          </Link>
        </header>
        <DialogPrimitive.Portal>
          <DialogPrimitive.Overlay className={overlayClasses} />
          <DialogPrimitive.Content className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col border-r bg-sidebar shadow-xl data-[state=open]:animate-slide-in-left">
            <DialogPrimitive.Title className="sr-only">Navigation</DialogPrimitive.Title>
            <DialogPrimitive.Description className="sr-only">Console sections and your account</DialogPrimitive.Description>
            <div className="flex h-14 items-center justify-between px-4">
              <Logo />
              <DialogPrimitive.Close asChild>
                <Button variant="ghost" size="icon-sm" aria-label="Close navigation">
                  <X aria-hidden />
                </Button>
              </DialogPrimitive.Close>
            </div>
            <div className="flex-1 overflow-y-auto px-3 py-2">
              <ConsoleNav onNavigate={() => setMenuOpen(false)} />
            </div>
            <UserPanel />
          </DialogPrimitive.Content>
        </DialogPrimitive.Portal>
      </DialogPrimitive.Root>

      <main id="main" tabIndex={-1} className="min-w-0 outline-none">
        <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 lg:px-10 lg:py-10">{children}</div>
      </main>
    </div>
  );
}
