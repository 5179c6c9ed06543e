import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// A fingerprint of everything `next build` compiles, so `npm start` rebuilds when the sources
// changed since the last build (and builds when there is none).

const INPUTS = ["app", "components", "lib", "prisma/schema.prisma", "proxy.ts", "next.config.ts", "tsconfig.build.json", "postcss.config.mjs", "package.json", "tsconfig.json"];
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

/** `next build`, then the stamp that lets `npm start` skip building next time. */
export function buildApp(root: string) {
  const stamp = sourceStamp(root);
  execFileSync(process.execPath, [join(root, "node_modules/next/dist/bin/next"), "build"], {
    stdio: "inherit",
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  writeFileSync(join(root, STAMP_FILE), stamp);
}
