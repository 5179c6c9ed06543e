import { db } from "@/lib/db";
import { uid } from "./context";
import type { Principal } from "./context";

// Rows for tests that need a server with a version and a stored snapshot without connecting to
// anything (the access table, pages); tests of taking snapshots use real servers.

export const poisonFinding = {
  key: "0123456789abcdef",
  rule: "model_instructions",
  severity: "high",
  kind: "tool",
  item: "search",
  field: "description",
  text: "Ignore previous instructions",
  message: "An instruction addressed to the model",
};

export async function serverWithVersion(owner: Principal, url = "https://mcp.example.com/mcp", state: "pending" | "approved" = "pending") {
  const name = `io.example${uid()}/snap`;
  const document = { name, description: "A test server", version: "1.0.0", remotes: [{ type: "streamable-http", url }] };
  const server = await db().server.create({
    data: { name, createdById: owner.id, owners: { create: { userId: owner.id, addedById: owner.id } } },
  });
  const version = await db().serverVersion.create({
    data: { serverId: server.id, version: "1.0.0", document, description: document.description, transports: "streamable-http", warnings: [], state, submittedById: owner.id, ...(state === "approved" ? { publishedAt: new Date(), isLatest: true } : {}) },
  });
  return { server, version };
}

export async function insertSnapshot(serverId: string, versionId: string, opts: { findings?: unknown[] } = {}) {
  const capture = { era: "modern", protocolVersion: "2026-07-28", serverInfo: { name: "x", version: "1" }, capabilities: { tools: {} }, instructions: null, tools: [{ name: "search", description: "Search", inputSchema: { type: "object" } }], prompts: [], resources: [], resourceTemplates: [] };
  const snap = await db().toolSnapshot.create({
    data: {
      serverId,
      versionId,
      status: "ok",
      remoteUrl: "https://mcp.example.com/mcp",
      transport: "streamable-http",
      era: "modern",
      protocolVersion: "2026-07-28",
      hash: "a".repeat(64),
      canonical: JSON.stringify(capture),
      itemHashes: [{ kind: "tool", name: "search", hash: "b".repeat(64) }],
      toolCount: 1,
      findings: (opts.findings ?? []) as object[],
      findingCount: opts.findings?.length ?? 0,
      scopes: { search: { scopes: ["tools:write"], source: "default" } },
      trigger: "manual",
    },
  });
  await db().serverVersion.update({ where: { id: versionId }, data: { latestSnapshotId: snap.id, lastCheckedAt: new Date() } });
  return snap;
}
