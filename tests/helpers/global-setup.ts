import type { TestProject } from "vitest/node";
import { hashPassword } from "@/lib/auth/password";
import { SEED_PASSWORD } from "./constants";

// scrypt is deliberately slow: hash the seed users' password once per run and hand the hash to
// every test file, instead of hashing it per user per file.
export default async function setup(project: TestProject) {
  project.provide("seedPasswordHash", await hashPassword(SEED_PASSWORD));
}

declare module "vitest" {
  export interface ProvidedContext {
    seedPasswordHash: string;
  }
}
