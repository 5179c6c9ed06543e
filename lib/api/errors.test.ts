import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, ERROR_STATUS, toErrorResponse, zodIssues } from "@/lib/api/errors";

async function mapped(err: unknown) {
  const res = toErrorResponse(err);
  return { status: res.status, body: await res.json() };
}

describe("toErrorResponse", () => {
  it("maps each ApiError code to its status with the one error shape", async () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(await mapped(new ApiError(code as keyof typeof ERROR_STATUS, `m-${code}`))).toEqual({
        status,
        body: { error: { code, message: `m-${code}` } },
      });
    }
    expect(await mapped(new ApiError("conflict", "taken", [{ field: "email", message: "already in use" }]))).toEqual({
      status: 409,
      body: { error: { code: "conflict", message: "taken", details: [{ field: "email", message: "already in use" }] } },
    });
  });

  it("maps a ZodError to 422 naming each field", async () => {
    const r = z.object({ a: z.string(), b: z.object({ c: z.number() }) }).safeParse({ b: { c: "x" } });
    expect(await mapped(r.error)).toEqual({
      status: 422,
      body: {
        error: {
          code: "validation_failed",
          message: "Invalid a, b.c",
          details: [
            { field: "a", message: "Invalid input: expected string, received undefined" },
            { field: "b.c", message: "Invalid input: expected number, received string" },
          ],
        },
      },
    });
  });

  it("maps Prisma unique and not-found errors by shape", async () => {
    const prismaError = (code: string) => Object.assign(new Error("prisma says"), { name: "PrismaClientKnownRequestError", code });
    expect(await mapped(prismaError("P2002"))).toEqual({
      status: 409,
      body: { error: { code: "conflict", message: "A record with the same unique value already exists" } },
    });
    expect(await mapped(prismaError("P2025"))).toEqual({ status: 404, body: { error: { code: "not_found", message: "Not found" } } });
  });

  it("turns anything else into a generic 500 that leaks nothing", async () => {
    for (const err of [new Error("password=hunter2 at /srv/secret"), Object.assign(new Error("x"), { name: "PrismaClientKnownRequestError", code: "P2003" }), "a string", null]) {
      expect(await mapped(err)).toEqual({ status: 500, body: { error: { code: "internal", message: "Internal server error" } } });
    }
  });
});

describe("zodIssues", () => {
  it("names each unknown field of a strict object, not the body as a whole", () => {
    const r = z.strictObject({ name: z.string(), nested: z.strictObject({ ok: z.boolean() }) }).safeParse({
      name: "n",
      extra: 1,
      more: 2,
      nested: { ok: true, sneaky: 1 },
    });
    expect(zodIssues(r.error!).sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      { field: "extra", message: "is not a known field" },
      { field: "more", message: "is not a known field" },
      { field: "nested.sneaky", message: "is not a known field" },
    ]);
  });

  it("prefixes query and params fields and names the body when the whole value is wrong", () => {
    const r = z.object({ limit: z.number() }).safeParse({ limit: "x" });
    expect(zodIssues(r.error!, "query")).toEqual([{ field: "query.limit", message: "Invalid input: expected number, received string" }]);
    const whole = z.object({}).safeParse([]);
    expect(zodIssues(whole.error!)).toEqual([{ field: "(body)", message: "Invalid input: expected object, received array" }]);
  });
});
