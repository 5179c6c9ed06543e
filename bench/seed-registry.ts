// Seeds a database for bench/registry.mjs: N servers x 3 approved versions (the last the latest),
// written straight with createMany (the benchmark measures serving, not submitting).
//   DATABASE_URL=… tsx bench/seed-registry.ts <servers>
import { randomBytes } from "node:crypto";
import { createDb } from "../lib/db";
import { migrate } from "../lib/db/migrate";

const url = process.env.DATABASE_URL!;
const count = Number(process.argv[2] ?? 10_000);
const WORDS = ["files", "weather", "github", "postgres", "search", "calendar", "slack", "jira", "maps", "browser"];

await migrate(url);
const client = createDb(url);
const owner = "bench-owner";
const t0 = Date.now();
for (let start = 0; start < count; start += 500) {
  const servers = [];
  const versions = [];
  for (let i = start; i < Math.min(count, start + 500); i++) {
    const id = `srv${i}`;
    const word = WORDS[i % WORDS.length];
    const name = `io.example.ns${Math.floor(i / 50)}/${word}-${i}`;
    servers.push({ id, name, createdById: owner, tags: `,${word},` });
    for (let v = 0; v < 3; v++) {
      const version = `1.${v}.0`;
      const document = {
        $schema: "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
        name,
        title: `${word[0].toUpperCase()}${word.slice(1)} ${i}`,
        description: `MCP server ${i} for ${word} (${randomBytes(4).toString("hex")})`,
        version,
        repository: { url: `https://github.com/example/${word}-${i}`, source: "github" },
        packages: [{ registryType: "npm", identifier: `@example/${word}-${i}`, version, transport: { type: "stdio" }, environmentVariables: [{ name: "API_KEY", isSecret: true, isRequired: true }] }],
      };
      const at = new Date(Date.UTC(2026, 0, 1) + i * 1000 + v * 100);
      versions.push({
        id: `${id}v${v}`,
        serverId: id,
        version,
        document,
        description: document.description,
        title: document.title,
        transports: "stdio",
        registryTypes: "npm",
        warnings: [],
        state: "approved" as const,
        status: "active" as const,
        statusChangedAt: at,
        publishedAt: at,
        isLatest: v === 2,
        source: "import",
        submittedById: owner,
      });
    }
  }
  await client.server.createMany({ data: servers });
  await client.serverVersion.createMany({ data: versions });
}
await client.$disconnect();
console.log(`seeded ${count} servers x 3 versions in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
