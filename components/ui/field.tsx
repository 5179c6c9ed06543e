"use client";

import { useId } from "react";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/client/cn";

interface FieldProps {
  label: string;
  /** Shown under the control; replaced by the error when there is one. */
  hint?: React.ReactNode;
  error?: string;
  className?: string;
  /** Renders the control, wired to the label, hint and error. */
  children: (control: { id: string; "aria-invalid": boolean | undefined; "aria-describedby": string | undefined }) => React.ReactNode;
}

/** A labelled form control with its hint or error message, both announced to screen readers. */
export function Field({ label, hint, error, className, children }: FieldProps) {
  const id = useId();
  const messageId = `${id}-message`;
  const message = error ?? hint;
  return (
    <div className={cn("grid gap-1.5", className)}>
      <Label htmlFor={id}>{label}</Label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": message ? messageId : undefined })}
      {message && (
        <p id={messageId} className={cn("text-xs", error ? "text-destructive" : "text-muted-foreground")}>
          {error ? sentence(label, error) : hint}
        </p>
      )}
    </div>
  );
}

/** API and schema messages are written to follow the field's name: "must be at least 12 characters". */
function sentence(label: string, message: string) {
  return /^[a-z]/.test(message) ? `${label} ${message}` : message;
}
