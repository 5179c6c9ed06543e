import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./temp";

// A throwaway certificate authority and one leaf certificate (localhost and 127.0.0.1 by
// default), made with the openssl CLI in a temp directory, for tests that serve the console over
// TLS (hosted client_ids must be https). Nothing here is trusted by anything but the test that
// passes `ca` on.

export interface TestTls {
  /** PEM of the CA certificate: what a client passes as `ca` to trust the leaf. */
  ca: string;
  /** PEM of the leaf's private key and certificate: what the server presents. */
  key: string;
  cert: string;
  /** The CA certificate's file (for NODE_EXTRA_CA_CERTS-style consumers). */
  caFile: string;
}

/** Why no test certificates can be made here (no openssl CLI), or null when they can. */
export function opensslMissing(): string | null {
  const r = spawnSync("openssl", ["version"], { encoding: "utf8" });
  if (r.error) return `the openssl CLI is not available (${r.error.message})`;
  if (r.status !== 0) return `openssl version exited with ${r.status}: ${r.stderr.trim()}`;
  return null;
}

/** A new CA and a leaf for the given names, valid for a day. */
export function makeTestTls(names: { dns?: string[]; ip?: string[] } = {}): TestTls {
  const dns = names.dns ?? ["localhost"];
  const ip = names.ip ?? ["127.0.0.1"];
  const dir = tempDir("tls");
  const at = (f: string) => join(dir, f);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const serial = () => `0x${randomBytes(8).toString("hex")}`;
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

  ssl("req", "-x509", ...ec, "-keyout", at("ca.key"), "-out", at("ca.pem"), "-days", "1", "-set_serial", serial(), "-subj", "/CN=Portcullis test CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  ssl("req", ...ec, "-keyout", at("leaf.key"), "-out", at("leaf.csr"), "-subj", `/CN=${dns[0] ?? ip[0]}`);
  const san = [...dns.map((d) => `DNS:${d}`), ...ip.map((i) => `IP:${i}`)].join(",");
  writeFileSync(at("leaf.ext"), `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`);
  ssl("x509", "-req", "-in", at("leaf.csr"), "-CA", at("ca.pem"), "-CAkey", at("ca.key"), "-set_serial", serial(), "-days", "1", "-extfile", at("leaf.ext"), "-out", at("leaf.pem"));

  return { ca: readFileSync(at("ca.pem"), "utf8"), key: readFileSync(at("leaf.key"), "utf8"), cert: readFileSync(at("leaf.pem"), "utf8"), caFile: at("ca.pem") };
}
