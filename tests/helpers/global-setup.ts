import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { hashPassword } from "@/lib/auth/password";
import { SEED_PASSWORD } from "./constants";
import { dropScratchDatabasesOfRun } from "./database";

// Once per run: hash the seed users' password (scrypt is deliberately slow), make one temp
// directory for everything the tests write, and clean both up at the end, including scratch
// databases a failed afterAll left behind.
export default async function setup(project: TestProject) {
  const tempRoot = mkdtempSync(join(tmpdir(), "pc-vitest-"));
  const runId = randomBytes(4).toString("hex");
  project.provide("seedPasswordHash", await hashPassword(SEED_PASSWORD));
  project.provide("tempRoot", tempRoot);
  project.provide("runId", runId);
  return async () => {
    rmSync(tempRoot, { recursive: true, force: true });
    await dropScratchDatabasesOfRun(runId);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    seedPasswordHash: string;
    tempRoot: string;
    runId: string;
  }
}
