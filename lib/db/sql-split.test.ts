import { describe, expect, it } from "vitest";
import { splitStatements } from "@/lib/db/sql-split";

describe("splitStatements (PostgreSQL migrations run outside a transaction)", () => {
  it.each([
    ["two statements", "CREATE INDEX a ON t(x);\nCREATE INDEX b ON t(y);\n", ["CREATE INDEX a ON t(x)", "CREATE INDEX b ON t(y)"]],
    ["no trailing semicolon", "SELECT 1", ["SELECT 1"]],
    ["comment-only parts are dropped", "-- portcullis: no-transaction\n-- only a comment;\n\n", []],
    ["; inside a string", "COMMENT ON TABLE t IS 'a; b';SELECT 2;", ["COMMENT ON TABLE t IS 'a; b'", "SELECT 2"]],
    ["doubled quote inside a string", "SELECT 'it''s; fine'; SELECT 3", ["SELECT 'it''s; fine'", "SELECT 3"]],
    ["E-string with a backslash-escaped quote", "SELECT E'a\\'; b'; SELECT 4", ["SELECT E'a\\'; b'", "SELECT 4"]],
    ["; inside a quoted identifier", 'CREATE INDEX "x;y" ON t(a); SELECT 5', ['CREATE INDEX "x;y" ON t(a)', "SELECT 5"]],
    ["; inside a line comment", "SELECT 6 -- a; b\n; SELECT 7", ["SELECT 6 -- a; b", "SELECT 7"]],
    ["nested block comments", "SELECT /* a /* b; */ c; */ 8; SELECT 9", ["SELECT /* a /* b; */ c; */ 8", "SELECT 9"]],
    [
      "dollar-quoted function body",
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$; SELECT $$x;y$$;",
      ["CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$", "SELECT $$x;y$$"],
    ],
    ["a $n parameter is not a dollar quote", "SELECT $1; SELECT 10", ["SELECT $1", "SELECT 10"]],
  ])("%s", (_name, sql, want) => {
    expect(splitStatements(sql)).toEqual(want);
  });
});
