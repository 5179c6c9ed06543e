import { useEffect, useRef, useState } from "react";
import type { z } from "zod";
import { ApiClientError, errorMessage } from "@/lib/client/api";

/** A zod error as { field: first message }, for showing next to each form field. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "form";
    out[field] ??= issue.message;
  }
  return out;
}

/** After a failed submit, move focus to the first field marked invalid (once React has rendered it). */
export function focusFirstInvalid(form: HTMLFormElement | null) {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

/**
 * The error state of a form that posts to the API: messages next to fields (from client-side
 * validation or a 422's details) and one message above the form for anything else.
 */
export function useFormErrors() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  // Focus moves once the marked fields are rendered: after the commit, not on a guessed frame
  // (an API refusal arrives while the submit button is disabled and focus is nowhere).
  const focusIn = useRef<HTMLFormElement | null>(null);
  useEffect(() => {
    const form = focusIn.current;
    focusIn.current = null;
    form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);
  return {
    errors,
    formError,
    /** Client-side validation failed: mark the fields and focus the first. */
    invalid(form: HTMLFormElement, fields: Record<string, string>) {
      focusIn.current = form;
      setErrors({ ...fields });
    },
    clear() {
      setErrors({});
      setFormError(null);
    },
    /** The API refused: its field errors go next to the fields, anything else above the form. */
    failed(form: HTMLFormElement, err: unknown) {
      const fields = err instanceof ApiClientError ? err.fieldErrors : {};
      if (Object.keys(fields).length) {
        focusIn.current = form;
        setErrors({ ...fields });
      } else setFormError(errorMessage(err));
    },
  };
}
