import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

// A fingerprint of everything `next build` compiles, so `npm start` rebuilds when the sources
// changed since the last build (and builds when there is none).

const INPUTS = ["app", "components", "lib", "prisma/schema.prisma", "proxy.ts", "next.config.ts", "postcss.config.mjs", "package.json", "tsconfig.json"];
const SKIP = new Set(["node_modules", ".next", "generated"]);

function walk(root: string, rel: string, out: string[]) {
  const path = join(root, rel);
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) if (!SKIP.has(name)) walk(root, join(rel, name), out);
  } else if (!rel.endsWith(".test.ts")) {
    out.push(`${rel}:${st.size}:${st.mtimeMs}`);
  }
}

export function sourceStamp(root: string): string {
  const entries: string[] = [];
  for (const input of INPUTS) walk(root, input, entries);
  return createHash("sha256").update(entries.join("\n")).digest("hex");
}

export const STAMP_FILE = ".next/portcullis-build-stamp";

export function buildIsCurrent(root: string): boolean {
  const stampPath = join(root, STAMP_FILE);
  if (!existsSync(join(root, ".next/BUILD_ID")) || !existsSync(stampPath)) return false;
  return readFileSync(stampPath, "utf8").trim() === sourceStamp(root);
}
