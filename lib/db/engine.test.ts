import { describe, expect, it } from "vitest";
import { engineOf, sqlitePath } from "@/lib/db/engine";

describe("engineOf / sqlitePath", () => {
  it.each([
    ["file:./data/portcullis.db", "sqlite"],
    ["file:/tmp/x.db", "sqlite"],
    ["postgres://u@h/db", "postgresql"],
    ["postgresql://u:p@h:5432/db?sslmode=require", "postgresql"],
  ] as const)("%s -> %s", (url, engine) => {
    expect(engineOf(url)).toBe(engine);
  });

  it.each(["mysql://h/db", "sqlite:x.db", "", "./data/x.db"])("refuses %j", (url) => {
    expect(() => engineOf(url)).toThrow("DATABASE_URL must start with file: or postgres(ql)://");
  });

  it("strips file: and any query string", () => {
    expect(sqlitePath("file:./data/x.db")).toBe("./data/x.db");
    expect(sqlitePath("file:/tmp/x.db?connection_limit=1")).toBe("/tmp/x.db");
  });
});
