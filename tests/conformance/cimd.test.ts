import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateCimd, type CimdOptions } from "@/lib/cimd/validate";

// Our CIMD verdicts against the public corpus in ../shared/data/cimd/: 30 real documents, each
// judged in INDEX.tsv by a note that starts "valid:" or "INVALID:". The documents are read here at
// test time, never copied into the repo. Each is validated in generic mode (no clientId: its own
// client_id must merely be a valid client_id URL), except the copies served somewhere other than
// their client_id says, which are validated against the URL they are served at.

const DIR = join(process.cwd(), "../shared/data/cimd");
const INDEX = join(DIR, "INDEX.tsv");

// Where a copy is served, when that is not its own client_id.
const SERVED_AT: Record<string, string> = {
  // The note: henry.ink serves this file at /oauth/client-metadata.json, but its client_id says
  // /oauth-client-metadata.json.
  "hzoo__henry.ink__henry-ink_public_oauth_client-metadata.json": "https://henry.ink/oauth/client-metadata.json",
  // mobile/client-metadata.json is the app's copy, named client-metadata.json; its own client_uri
  // (https://rietamura.github.io/bluelang-oauth) is the client's origin, so we take it as served at
  // that origin's /client-metadata.json. Its client_id names .well-known/atproto_client_metadata.json
  // instead, so it mismatches there (and, as the note says, wherever a file of that name is served).
  "RieTamura__bluesky-langapp.json": "https://rietamura.github.io/bluelang-oauth/client-metadata.json",
};

// Where MCP's MUST overrides the corpus's verdict. INDEX judges by the IETF draft alone, which
// leaves client_name optional; MCP 2025-11-25 says the document MUST include client_id,
// client_name and redirect_uris (SPECS.md §2), and Portcullis keeps that rule. Pinned to the one
// rule, so any other disagreement fails.
const MCP_STRICTER: Record<string, string> = {
  "modelcontextprotocol__rust-sdk.json": "client_name.required",
};

// The members a note may name as the reason a document is invalid.
const MEMBERS = /\b(client_id|client_name|redirect_uris|grant_types|response_types|token_endpoint_auth_method|jwks_uri|jwks|client_uri|logo_uri|tos_uri|policy_uri|scope|contacts)\b/;

if (!existsSync(INDEX)) {
  describe("CIMD verdicts agree with the public corpus", () => {
    it.skip("../shared/data/cimd absent (conformance data)", () => {});
  });
} else {
  const rows = readFileSync(INDEX, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [file, source, , , note] = line.split("\t");
      return { file, source, note, valid: note.startsWith("valid:") };
    });
  const read = (file: string): unknown => JSON.parse(readFileSync(join(DIR, file), "utf8"));

  describe("CIMD verdicts agree with the public corpus", () => {
    it("reads the index: 30 documents, valid and invalid, every one present", () => {
      expect(rows).toHaveLength(30);
      expect(rows.every((r) => r.valid || r.note.startsWith("INVALID:"))).toBe(true);
      expect(rows.filter((r) => r.valid).length).toBeGreaterThan(10);
      expect(rows.filter((r) => !r.valid).length).toBeGreaterThan(5);
      expect(rows.filter((r) => !existsSync(join(DIR, r.file)))).toEqual([]);
      for (const file of [...Object.keys(SERVED_AT), ...Object.keys(MCP_STRICTER)]) expect(rows.map((r) => r.file)).toContain(file);
    });

    it.each(rows)("$file", ({ file, note, valid }) => {
      const doc = read(file);
      const options: CimdOptions = SERVED_AT[file] ? { clientId: SERVED_AT[file] } : {};
      const r = validateCimd(doc, options);
      const why = JSON.stringify(r.errors);

      if (MCP_STRICTER[file]) {
        expect(valid, "INDEX calls it valid; we are stricter on purpose").toBe(true);
        expect(r.errors.map((e) => e.rule), why).toEqual([MCP_STRICTER[file]]);
        return;
      }
      expect(r.valid, why).toBe(valid);
      if (valid) {
        expect(r.errors).toEqual([]);
        expect(r.document).toBe(doc);
      } else {
        const named = MEMBERS.exec(note.slice("INVALID:".length));
        expect(named, `the note names no member: ${note}`).not.toBeNull();
        expect(r.errors.map((e) => e.field), why).toContain(`/${named![1]}`);
      }

      // what the notes point out shows up as warnings
      const warned = r.warnings.map((w) => w.rule);
      if (valid && /loopback|http:\/\/localhost/.test(note)) expect(warned).toContain("redirect_uri.loopback");
      if (valid && /private-use|custom scheme/.test(note)) expect(warned).toContain("redirect_uri.private_use");
      if (/tunnel/.test(note)) expect(warned).toContain("client_id.tunnel_host");
      if (/jwt-bearer/.test(note)) expect(warned).not.toContain("grant_types.unknown");
    });

    it("the served-at copies are judged on their URL: valid in generic mode, a client_id mismatch where served", () => {
      for (const [file, url] of Object.entries(SERVED_AT)) {
        const doc = read(file);
        expect(validateCimd(doc).errors.filter((e) => e.field === "/client_id")).toEqual([]);
        expect(validateCimd(doc, { clientId: url }).errors.map((e) => [e.field, e.rule])).toContainEqual(["/client_id", "client_id.match"]);
      }
    });
  });
}
