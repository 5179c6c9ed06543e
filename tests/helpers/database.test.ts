import { describe, expect, it, vi } from "vitest";
import { assertLocalDatabase, createScratchDatabase, enginesUnderTest } from "./database";

// The harness creates and drops databases: it must refuse to do so anywhere but this machine.

describe("the destructive-test guard", () => {
  it.each([
    "postgresql://postgres@127.0.0.1:5432/test",
    "postgres://postgres@localhost/test",
    "postgresql://postgres@LOCALHOST:5432/test",
    "postgresql://postgres@[::1]:5432/test",
    "postgresql://postgres@localhost/test?host=/var/run/postgresql",
  ])("allows %s", (url) => {
    expect(() => assertLocalDatabase(url)).not.toThrow();
  });

  it.each([
    ["postgresql://postgres@db.internal:5432/prod", "refusing to create or drop databases on db.internal"],
    ["postgresql://postgres@10.0.0.5/test", "refusing to create or drop databases on 10.0.0.5"],
    ["postgresql://postgres@127.0.0.2/test", "refusing to create or drop databases on 127.0.0.2"],
    ["postgresql://postgres@localhost.evil.example/test", "refusing to create or drop databases on localhost.evil.example"],
    ["postgresql://postgres@localhost/test?host=prod.internal", "refusing to create or drop databases on prod.internal"],
    ["postgresql:///test", "refusing to use a database URL without a host"],
    ["mysql://root@localhost/test", "TEST_DATABASE_URL must be postgres:// or postgresql://, not mysql:"],
    ["not a url", "TEST_DATABASE_URL is not a URL"],
  ])("refuses %s", (url, message) => {
    expect(() => assertLocalDatabase(url)).toThrow(message);
  });

  it("refuses before connecting: no scratch database on a remote server", async () => {
    vi.stubEnv("TEST_DATABASE_URL", "postgresql://postgres@prod-db.example.com:5432/app");
    await expect(createScratchDatabase("postgresql")).rejects.toThrow("refusing to create or drop databases on prod-db.example.com");
  });

  it("covers PostgreSQL only when TEST_DATABASE_URL is set", () => {
    vi.stubEnv("TEST_DATABASE_URL", "");
    expect(enginesUnderTest()).toEqual(["sqlite"]);
    vi.stubEnv("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1/x");
    expect(enginesUnderTest()).toEqual(["sqlite", "postgresql"]);
  });
});
