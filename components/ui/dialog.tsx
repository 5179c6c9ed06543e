"use client";

import { useCallback, useRef } from "react";
import { Dialog as DialogPrimitive } from "radix-ui";
import { X } from "lucide-react";
import { cn } from "@/lib/client/cn";
import { captureOpener, restoreFocus, type FocusReturn } from "@/lib/client/focus-return";

export const Dialog = DialogPrimitive.Root;
export const DialogTrigger = DialogPrimitive.Trigger;
export const DialogClose = DialogPrimitive.Close;

export const overlayClasses =
  "fixed inset-0 z-50 bg-overlay backdrop-blur-[2px] data-[state=open]:animate-fade-in data-[state=closed]:animate-fade-out";

/**
 * Props for a dialog's Content that send focus back to the control that opened it, however it was
 * opened (a row action, a menu item, a button setting state), not only from a Dialog.Trigger.
 * The opener is taken when the content element attaches (the ref): a form field with autoFocus may
 * already hold focus by then, and Radix then skips onOpenAutoFocus altogether.
 */
export function useReturnFocus({ onCloseAutoFocus }: { onCloseAutoFocus?: (e: Event) => void } = {}) {
  const ret = useRef<FocusReturn | null>(null);
  const ref = useCallback((el: HTMLDivElement | null) => {
    if (el) ret.current = captureOpener(el);
  }, []);
  return {
    ref,
    onCloseAutoFocus: (e: Event) => {
      onCloseAutoFocus?.(e);
      if (e.defaultPrevented) return;
      if (restoreFocus(ret.current)) e.preventDefault();
      ret.current = null;
    },
  };
}

export function DialogContent({
  className,
  children,
  hideClose,
  onCloseAutoFocus,
  ...props
}: Omit<React.ComponentProps<typeof DialogPrimitive.Content>, "ref"> & { hideClose?: boolean }) {
  const focus = useReturnFocus({ onCloseAutoFocus });
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className={overlayClasses} />
      <DialogPrimitive.Content
        className={cn(
          "fixed top-1/2 left-1/2 z-50 grid max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 gap-4 overflow-y-auto",
          "rounded-xl border bg-card p-6 text-card-foreground shadow-xl data-[state=open]:animate-zoom-in",
          className,
        )}
        {...props}
        {...focus}
      >
        {children}
        {!hideClose && (
          <DialogPrimitive.Close className="absolute top-4 right-4 rounded-md p-1 text-muted-foreground transition-colors hover:bg-muted hover:text-foreground">
            <X aria-hidden className="size-4" />
            <span className="sr-only">Close</span>
          </DialogPrimitive.Close>
        )}
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}

export function DialogHeader({ className, ...props }: React.ComponentProps<"div">) {
  return <div className={cn("flex flex-col gap-1.5 pr-6", className)} {...props} />;
}

export function DialogFooter({ className, ...props }: React.ComponentProps<"div">) {
  return <div className={cn("flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end", className)} {...props} />;
}

export function DialogTitle({ className, ...props }: React.ComponentProps<typeof DialogPrimitive.Title>) {
  return <DialogPrimitive.Title className={cn("text-lg font-semibold", className)} {...props} />;
}

export function DialogDescription({ className, ...props }: React.ComponentProps<typeof DialogPrimitive.Description>) {
  return <DialogPrimitive.Description className={cn("text-sm text-muted-foreground", className)} {...props} />;
}
