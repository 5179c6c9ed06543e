import { z } from "zod";

// The one string schema every input goes through (bodies, queries, route params): well-formed
// Unicode (no lone surrogates), no control characters (NUL would be refused by PostgreSQL and
// stored by SQLite; newlines have no place in a name or an id), and a bounded length.

// C0 controls except tab/newline/carriage return are never allowed; C1 controls and the
// Unicode noncharacters U+FFFE/U+FFFF neither.
 
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
 
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;

export interface SafeStringOptions {
  /** Largest length in UTF-16 code units (default 200). */
  max?: number;
  /** Smallest length after trimming (default 1). */
  min?: number;
  /** Allow tab and line breaks (comments, descriptions). Default false. */
  multiline?: boolean;
  /** Trim surrounding white space first (default true). */
  trim?: boolean;
}

/** True when `s` has no unpaired surrogate halves. */
export function isWellFormed(s: string): boolean {
  // String.prototype.isWellFormed is Node 20+; the regex is the same rule.
  return typeof (s as { isWellFormed?: () => boolean }).isWellFormed === "function"
    ? (s as unknown as { isWellFormed: () => boolean }).isWellFormed()
    : !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/** Why a string is refused, or null when it is acceptable text. */
export function textProblem(s: string, multiline = false): string | null {
  if (!isWellFormed(s)) return "must be well-formed Unicode (no lone surrogates)";
  if (CONTROL.test(s)) return "must not contain control characters";
  if (!multiline && LINE_BREAK.test(s)) return "must not contain tabs or line breaks";
  return null;
}

export function safeString(opts: SafeStringOptions = {}) {
  const { max = 200, min = 1, multiline = false, trim = true } = opts;
  const base = z
    .string()
    .max(max * 4, `must be at most ${max} characters`)
    .superRefine((v, ctx) => {
      const problem = textProblem(v, multiline);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
  const trimmed = trim ? base.transform((v) => v.trim()) : base;
  return trimmed.pipe(
    z
      .string()
      .min(min, min === 1 ? "is required" : `must be at least ${min} characters`)
      .max(max, `must be at most ${max} characters`),
  );
}

/** An opaque id in a route parameter or body (cuid, uuid, slug): printable ASCII, bounded. */
export const idString = z
  .string()
  .min(1, "is required")
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z0-9._:-]+$/, "is not a valid id");

/**
 * A strict decimal integer in a query string: "10" yes; "0x10", "1e1", " 10", "010", "+1" no.
 * `min`/`max` bound it; `fallback` is used when the parameter is absent.
 */
export function queryInt(min: number, max: number): z.ZodOptional<ReturnType<typeof strictInt>>;
export function queryInt(min: number, max: number, fallback: number): z.ZodPipe<z.ZodOptional<ReturnType<typeof strictInt>>, z.ZodTransform<number, number | undefined>>;
export function queryInt(min: number, max: number, fallback?: number) {
  const schema = strictInt(min, max);
  if (fallback === undefined) return schema.optional();
  const value = fallback;
  return schema.optional().transform((v) => v ?? value);
}

function strictInt(min: number, max: number) {
  return z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, "must be a whole number written in decimal")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/** Earliest and latest instants any date input may name (both engines store them faithfully). */
export const MIN_INSTANT = Date.parse("1970-01-01T00:00:00Z");
export const MAX_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");

/** An RFC 3339 date-time with offset, bounded to 1970..9999. */
export const instantString = z.iso
  // abort: a string that is no date-time gets that one issue, not the range issue as well
  .datetime({ offset: true, abort: true })
  .refine((v) => {
    const t = Date.parse(v);
    return Number.isFinite(t) && t >= MIN_INSTANT && t <= MAX_INSTANT;
  }, "must be between 1970-01-01 and 9999-12-31");

/** Escapes `%`, `_` and `\` for a LIKE pattern (used with `ESCAPE '\'`). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
