import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";
import { afterAll, beforeAll } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { resetRemoteKeySets } from "@/lib/xaa/remote-jwks";

// A stand-in enterprise IdP for token exchange tests: a node:http server on 127.0.0.1 serving
// its JWKS, and ID tokens signed with jose. `useTestIdp()` points XAA_IDP_ISSUER and
// XAA_IDP_JWKS_URI at it (and lets outbound fetches reach loopback) for the enclosing block.

export interface SigningKeyPair {
  kid: string;
  alg: "RS256" | "ES256";
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function newKeyPair(alg: "RS256" | "ES256" = "RS256", kid?: string): Promise<SigningKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const id = kid ?? (await calculateJwkThumbprint(jwk));
  return { kid: id, alg, privateKey, publicJwk: { ...jwk, kid: id, alg, use: "sig" } };
}

export interface IdTokenOptions {
  /** The client the token is issued to (aud). */
  aud: string | string[];
  sub?: string;
  email?: string;
  groups?: unknown;
  acr?: string;
  authTime?: number;
  /** Seconds from now (negative: already expired). Default 300. */
  expiresIn?: number;
  /** The iat (epoch seconds); default now. */
  issuedAt?: number;
  iss?: string;
  extra?: JWTPayload;
  /** Sign with this key instead of the IdP's current one (forgeries). */
  key?: SigningKeyPair;
  /** Put this kid in the header (default the signing key's). */
  kid?: string;
}

export interface TestIdp {
  issuer: string;
  jwksUri: string;
  /** The keys published (the current one first). */
  keys: SigningKeyPair[];
  /** How many times the JWKS was fetched. */
  jwksFetches: number;
  idToken(opts: IdTokenOptions): Promise<string>;
  /** Publishes a new key and signs with it from now on (the old one stays published). */
  rotate(): Promise<SigningKeyPair>;
  close(): Promise<void>;
}

export async function startTestIdp(): Promise<TestIdp> {
  const idp = { keys: [await newKeyPair()], jwksFetches: 0 } as TestIdp;
  const server: Server = createServer((req, res) => {
    if (req.url === "/jwks") {
      idp.jwksFetches++;
      const body = JSON.stringify({ keys: idp.keys.map((k) => k.publicJwk) });
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  idp.issuer = base;
  idp.jwksUri = `${base}/jwks`;
  idp.idToken = async (o) => {
    const key = o.key ?? idp.keys[0];
    const now = Math.floor(Date.now() / 1000);
    const claims: JWTPayload = {
      sub: o.sub ?? "user-1",
      // an e-mail as IdPs send with the `email` scope ("" leaves it out): a policy that excludes
      // someone by e-mail refuses a subject whose e-mail it cannot see
      ...(o.email === "" ? {} : { email: o.email ?? "alice@example.com", email_verified: true }),
      ...(o.groups === undefined ? {} : { groups: o.groups }),
      ...(o.acr === undefined ? {} : { acr: o.acr }),
      ...(o.authTime === undefined ? {} : { auth_time: o.authTime }),
      ...o.extra,
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: o.kid ?? key.kid, typ: "JWT" })
      .setIssuer(o.iss ?? base)
      .setAudience(o.aud)
      .setIssuedAt(o.issuedAt ?? now)
      .setExpirationTime(now + (o.expiresIn ?? 300))
      .sign(key.privateKey);
  };
  idp.rotate = async () => {
    const k = await newKeyPair();
    idp.keys.unshift(k);
    return k;
  };
  idp.close = () => new Promise<void>((r) => server.close(() => r()));
  return idp;
}

/** A test IdP for the enclosing describe block, configured as the one token exchange trusts. */
export function useTestIdp(): TestIdp {
  const out = {} as TestIdp;
  let idp: TestIdp | undefined;
  const saved: Record<string, string | undefined> = {};
  const vars = ["XAA_IDP_ISSUER", "XAA_IDP_JWKS_URI", "OUTBOUND_ALLOWLIST"];
  beforeAll(async () => {
    idp = await startTestIdp();
    Object.setPrototypeOf(out, idp);
    for (const v of vars) saved[v] = process.env[v];
    process.env.XAA_IDP_ISSUER = idp.issuer;
    process.env.XAA_IDP_JWKS_URI = idp.jwksUri;
    process.env.OUTBOUND_ALLOWLIST = "127.0.0.1";
    resetEnvCache();
    resetRemoteKeySets();
  });
  afterAll(async () => {
    for (const v of vars) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
    resetEnvCache();
    resetRemoteKeySets();
    await idp?.close();
  });
  return out;
}
