import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import OpenAPIBackend from "openapi-backend";
import { parse } from "yaml";
import addFormats from "ajv-formats";
import { db } from "@/lib/db";
import "@/lib/reviews/handlers";
import { describeEngine, uid, useTestDatabase, type Principal } from "../helpers/context";
import { call, session } from "../helpers/http";
import { route } from "../helpers/routes";
import { usePublicServer } from "../helpers/public";

// Every read response of the registry API (and publish's success response) validated against the
// official Registry OpenAPI (../shared/spec/registry-openapi.yaml) with openapi-backend, which
// matches the operation by method and path and checks the body against its response schema.

const SPEC = join(process.cwd(), "../shared/spec/registry-openapi.yaml");

if (!existsSync(SPEC)) {
  describe("registry OpenAPI conformance", () => {
    it.skip("../shared absent (the official Registry OpenAPI)", () => {});
  });
} else {
  describeEngine("sqlite", "registry OpenAPI conformance", () => {
    const ctx = useTestDatabase("sqlite");
    const api = usePublicServer();
    // The official document names no operationIds; openapi-backend validates responses by one, so
    // each operation gets "<method> <path>" (in memory; the file is read as is).
    const definition = parse(readFileSync(SPEC, "utf8"));
    for (const [path, item] of Object.entries(definition.paths as Record<string, Record<string, { operationId?: string }>>)) {
      for (const [method, op] of Object.entries(item)) if (typeof op === "object" && op && !op.operationId) op.operationId = `${method} ${path}`;
    }
    // quick: the document is OpenAPI 3.1, which openapi-backend's own definition check (3.0) refuses.
    const openapi = new OpenAPIBackend({
      definition,
      validate: true,
      quick: true,
      // uri and date-time are checked too (ajv-formats), and every error is reported
      customizeAjv: (ajv) => {
        addFormats(ajv);
        ajv.opts.allErrors = true;
        return ajv;
      },
    });

    beforeAll(async () => {
      await openapi.init();
    });

    function check(method: string, path: string, status: number, body: unknown) {
      const op = openapi.router.matchOperation({ method, path: path.split("?")[0], headers: {}, query: {} }, true);
      expect(op, `${method} ${path}`).toBeTruthy();
      const result = openapi.validator.validateResponse(body, op!.operationId!, status);
      expect(result.errors ?? [], `${method} ${path}: ${JSON.stringify(result.errors)}`).toEqual([]);
    }

    const auth = (p: Principal) => ({ authorization: `Bearer ${p.token}` });

    async function publishAndApprove(doc: Record<string, unknown>) {
      const res = await api.send("POST", "/v0.1/publish", doc, auth(ctx.users.publisher));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      check("post", "/v0.1/publish", 200, res.body);
      const review = await db().review.findFirstOrThrow({ where: { subjectName: doc.name as string, subjectVersion: doc.version as string } });
      const decided = await call(route("POST", "/api/v1/reviews/[id]/decision"), "POST", `/api/v1/reviews/${review.id}/decision`, {
        auth: session(ctx.users.approver),
        params: { id: review.id },
        json: { decision: "approve" },
      });
      expect(decided.status).toBe(200);
    }

    it("list, versions, version, latest, deprecated and deleted entries, pages and 404s match the OpenAPI", async () => {
      const n = uid();
      const name = `io.github.conformance${n}/everything`;
      await publishAndApprove({
        $schema: "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
        name,
        title: "Everything",
        description: "Every field the schema allows, roughly",
        version: "1.0.0",
        websiteUrl: "https://example.com/everything",
        repository: { url: "https://github.com/example/everything", source: "github", subfolder: "servers/everything" },
        icons: [{ src: "https://example.com/icon.png", mimeType: "image/png", sizes: ["48x48"] }],
        packages: [
          {
            registryType: "npm",
            identifier: "@example/everything",
            version: "1.0.0",
            runtimeHint: "npx",
            transport: { type: "stdio" },
            packageArguments: [{ type: "positional", value: "--verbose" }],
            environmentVariables: [{ name: "API_KEY", description: "The key", isSecret: true, isRequired: true }],
          },
        ],
        remotes: [{ type: "streamable-http", url: "https://mcp.example.com/mcp", headers: [{ name: "X-Tenant", description: "Tenant", isRequired: true }] }],
        _meta: { "io.modelcontextprotocol.registry/publisher-provided": { tool: "conformance" } },
      });
      await publishAndApprove({ name, description: "Second", version: "2.0.0", remotes: [{ type: "sse", url: "https://mcp.example.com/sse" }] });
      await publishAndApprove({ name, description: "Third", version: "3.0.0-rc.1", remotes: [{ type: "sse", url: "https://mcp.example.com/sse" }] });
      await api.send("PATCH", `/v0.1/servers/${encodeURIComponent(name)}/versions/2.0.0/status`, { status: "deprecated", statusMessage: "use 3" }, auth(ctx.users.approver));
      await api.send("PATCH", `/v0.1/servers/${encodeURIComponent(name)}/versions/1.0.0/status`, { status: "deleted" }, auth(ctx.users.approver));

      const enc = encodeURIComponent(name);
      const reads = [
        "/v0.1/servers",
        "/v0.1/servers?limit=1",
        `/v0.1/servers?search=${n}&include_deleted=true`,
        "/v0.1/servers?version=latest",
        `/v0.1/servers?updated_since=${encodeURIComponent("2020-01-01T00:00:00Z")}`,
        `/v0.1/servers/${enc}/versions`,
        `/v0.1/servers/${enc}/versions?include_deleted=true`,
        `/v0.1/servers/${enc}/versions/latest`,
        `/v0.1/servers/${enc}/versions/2.0.0`,
        `/v0.1/servers/${enc}/versions/1.0.0?include_deleted=true`,
      ];
      for (const path of reads) {
        const res = await api.get(path);
        expect(res.status, path).toBe(200);
        check("get", path, 200, res.body);
      }
      const first = await api.get("/v0.1/servers?limit=1");
      const next = await api.get(`/v0.1/servers?limit=1&cursor=${encodeURIComponent(first.body.metadata.nextCursor)}`);
      check("get", "/v0.1/servers", 200, next.body);
      for (const path of [`/v0.1/servers/${encodeURIComponent("io.none/none")}/versions`, `/v0.1/servers/${enc}/versions/9.9.9`]) {
        const res = await api.get(path);
        expect(res.status).toBe(404);
        check("get", path, 404, res.body);
      }
    });
  });
}
