import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";

/** A fresh directory under this run's temp root (removed when the run ends). */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(inject("tempRoot"), `${prefix}-`));
}
