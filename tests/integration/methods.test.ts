import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { autoImplementMethods } from "next/dist/server/route-modules/app-route/helpers/auto-implement-methods";
import * as setup from "@/app/api/setup/route";
import { SECURITY_HEADERS } from "@/lib/api/headers";
import { allowHeader, isRefusal, METHODS } from "@/lib/api/methods";
import { buildRequest } from "../helpers/http";
import { API_V1_MODULES, HTTP_METHODS } from "../helpers/routes";

// Wrong methods: every route answers a method it does not implement with 405, an `Allow` header
// naming exactly what it implements (+HEAD with GET, +OPTIONS) and the JSON error shape; OPTIONS
// names the same methods. Next resolves HEAD and OPTIONS itself (autoImplementMethods, used here
// as Next uses it).

const CATCH_ALL = "/api/v1/[...rest]";
const MODULES: Record<string, Record<string, unknown>> = { ...API_V1_MODULES, "/api/setup": setup };

type RouteFn = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const ctx = { params: Promise.resolve({ id: "x", rest: ["no", "such"] }) };
const examplePath = (pattern: string) => pattern.replace("[id]", "x").replace("[...rest]", "no/such");

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return routeFiles(p);
    return name === "route.ts" ? [p] : [];
  });
}
const patternOf = (file: string) => `/${relative(process.cwd(), file).split(sep).slice(1, -1).join("/")}`;
const FILES = [...routeFiles(join(process.cwd(), "app/api/v1")), join(process.cwd(), "app/api/setup/route.ts")];

function implementedBy(mod: Record<string, unknown>) {
  return METHODS.filter((m) => typeof mod[m] === "function" && !isRefusal(mod[m]));
}

function expectHeaders(res: Response) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), name).toBe(value);
  expect(res.headers.get("cache-control")).toBe("no-store");
}

describe("route files", () => {
  it("are each listed in tests/helpers/routes.ts", () => {
    expect(FILES.map(patternOf).sort()).toEqual(Object.keys(MODULES).sort());
  });

  it.each(FILES.filter((f) => patternOf(f) !== CATCH_ALL).map((f) => [patternOf(f), f]))(
    "%s ends with its methodsNotAllowed line, naming what it implements",
    (pattern, file) => {
      const last = readFileSync(file, "utf8").trimEnd().split("\n").at(-1);
      const implemented = implementedBy(MODULES[pattern]);
      const refused = [...METHODS.filter((m) => !implemented.includes(m)), "OPTIONS"];
      expect(last).toBe(`export const { ${refused.join(", ")} } = methodsNotAllowed([${implemented.map((m) => `"${m}"`).join(", ")}]);`);
    },
  );
});

describe.each(Object.keys(MODULES).filter((p) => p !== CATCH_ALL))("%s", (pattern) => {
  const mod = MODULES[pattern];
  const implemented = implementedBy(mod);
  const allow = allowHeader(implemented);

  it("exports a handler for every method, so none falls to Next's bare 405", () => {
    for (const m of [...METHODS, "OPTIONS"]) expect(typeof mod[m], `${m} (add the methodsNotAllowed line)`).toBe("function");
    expect(implemented.length).toBeGreaterThan(0);
  });

  it.each(METHODS.filter((m) => !implemented.includes(m)))("%s -> 405 with Allow and the JSON error", async (method) => {
    const res = await (mod[method] as RouteFn)(buildRequest(method, examplePath(pattern), { json: method === "GET" ? undefined : {} }), ctx);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    expectHeaders(res);
    expect(await res.json()).toEqual({ error: { code: "method_not_allowed", message: `${method} is not allowed here; use ${implemented.join(" or ")}` } });
  });

  it("as Next resolves it: OPTIONS -> 204 with the same Allow; HEAD follows GET", async () => {
    const resolved = autoImplementMethods(mod as never) as unknown as Record<string, RouteFn>;
    const options = await resolved.OPTIONS(buildRequest("OPTIONS", examplePath(pattern)), ctx);
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe(allow);
    expect(await options.text()).toBe("");
    if (implemented.includes("GET")) {
      expect(resolved.HEAD).toBe(mod.GET);
    } else {
      const head = await resolved.HEAD(buildRequest("HEAD", examplePath(pattern)), ctx);
      expect(head.status).toBe(405);
      expect(head.headers.get("allow")).toBe(allow);
    }
    for (const m of METHODS) expect(resolved[m]).toBe(mod[m]);
  });

  it.each(implemented)("%s is implemented (never a 405)", async (method) => {
    // No credentials: a /api/v1 handler answers 401 before it looks at anything else.
    const res = await (mod[method] as RouteFn)(buildRequest(method, examplePath(pattern), { json: method === "GET" ? undefined : {} }), ctx);
    expect(res.status).not.toBe(405);
    if (pattern.startsWith("/api/v1/")) expect(res.status).toBe(401);
  });
});

describe(CATCH_ALL, () => {
  it.each(HTTP_METHODS)("%s of an unknown path -> the JSON 404", async (method) => {
    const resolved = autoImplementMethods(API_V1_MODULES[CATCH_ALL] as never) as unknown as Record<string, RouteFn>;
    const res = await resolved[method](buildRequest(method, "/api/v1/no/such"), ctx);
    expect(res.status).toBe(404);
    expect(res.headers.get("allow")).toBeNull();
    expectHeaders(res);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: `No API route ${method} /api/v1/no/such` } });
  });
});
