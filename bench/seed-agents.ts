// Seeds a database for bench/cimd-serve.mjs: N published agents, each with one approved version
// (the agent's current one), written straight with createMany (the benchmark measures serving,
// not submitting). The documents go through the product's validator (prepareDocument), so the
// stored canonical bytes and SHA-256 are what an approval through the API would have stored.
// Two in three agents are interactive (redirect URIs), one in three headless (an inline EC key).
//   DATABASE_URL=… PORT=… tsx bench/seed-agents.ts <agents>
import { randomBytes } from "node:crypto";
import { createDb } from "../lib/db";
import { migrate } from "../lib/db/migrate";
import { clientIdFor, prepareDocument } from "../lib/cimd/documents";

const url = process.env.DATABASE_URL!;
const count = Number(process.argv[2] ?? 1_000);
const TEAMS = ["payments", "support", "search", "ops", "data", "security", "sales", "hr"];

/** The slug of agent i, as bench/cimd-serve.mjs names it. */
const slugOf = (i: number) => `${TEAMS[i % TEAMS.length]}-agent-${i}`;

await migrate(url);
const client = createDb(url);
const owner = "bench-owner";
const t0 = Date.now();
for (let start = 0; start < count; start += 500) {
  const agents = [];
  const owners = [];
  const versions = [];
  for (let i = start; i < Math.min(count, start + 500); i++) {
    const id = `agt${i}`;
    const slug = slugOf(i);
    const team = TEAMS[i % TEAMS.length];
    const clientId = clientIdFor(slug);
    const kind = i % 3 === 2 ? ("headless" as const) : ("interactive" as const);
    const input =
      kind === "interactive"
        ? {
            client_name: `${team[0].toUpperCase()}${team.slice(1)} assistant ${i}`,
            client_uri: `https://${team}.example.com/agents/${i}`,
            logo_uri: `https://cdn.example.com/logos/${team}.png`,
            redirect_uris: [`https://${team}.example.com/oauth/callback`, `https://${team}-${i}.apps.example.com/cb`],
            grant_types: ["authorization_code", "refresh_token"],
            response_types: ["code"],
            token_endpoint_auth_method: "none",
            scope: "openid profile mcp:tools",
            software_id: `${team}-assistant`,
            software_version: `1.${i % 10}.0`,
          }
        : {
            client_name: `${team[0].toUpperCase()}${team.slice(1)} robot ${i}`,
            grant_types: ["client_credentials"],
            response_types: [],
            token_endpoint_auth_method: "private_key_jwt",
            jwks: {
              keys: [
                {
                  kty: "EC",
                  crv: "P-256",
                  kid: `k-${randomBytes(4).toString("hex")}`,
                  use: "sig",
                  alg: "ES256",
                  x: randomBytes(32).toString("base64url"),
                  y: randomBytes(32).toString("base64url"),
                },
              ],
            },
            scope: "mcp:tools",
          };
    const prepared = prepareDocument(input, { clientId, kind }, null);
    const at = new Date(Date.UTC(2026, 0, 1) + i * 1000);
    const versionId = `${id}v1`;
    agents.push({ id, slug, clientId, name: `Agent ${slug}`, kind, ownerTeam: team, status: "active" as const, currentVersionId: versionId, createdById: owner, createdAt: at });
    owners.push({ agentId: id, userId: owner, addedById: owner, addedAt: at });
    versions.push({
      id: versionId,
      agentId: id,
      number: 1,
      document: JSON.parse(JSON.stringify(prepared.document)),
      canonical: prepared.canonical,
      sha256: prepared.sha256,
      size: prepared.size,
      warnings: JSON.parse(JSON.stringify(prepared.warnings)),
      state: "approved" as const,
      source: "api",
      publishedAt: new Date(at.getTime() + 60_000),
      submittedById: owner,
      createdAt: at,
    });
  }
  await client.agent.createMany({ data: agents });
  await client.agentOwner.createMany({ data: owners });
  await client.agentVersion.createMany({ data: versions });
}
await client.$disconnect();
console.log(`seeded ${count} published agents in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
