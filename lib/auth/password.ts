import { availableParallelism } from "node:os";
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { ApiError } from "@/lib/api/errors";

// Passwords: scrypt (N=2^15, r=8, p=1, 64-byte key), stored as
// `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>` so parameters can be raised later.
//
// Hashing is expensive on purpose, so it is capped: at most `concurrency` scrypt calls run at
// once (they share libuv's four threads with file and DNS work) and at most `queue` more wait.
// Beyond that a call fails at once with HashingBusyError (503 `unavailable`) instead of queueing
// without bound: a flood of anonymous sign-ins cannot starve the rest of the server.

const N = 32768;
const R = 8;
const P = 1;
const KEYLEN = 64;

/** Thrown when too many password checks are already running or waiting. */
export class HashingBusyError extends ApiError {
  constructor() {
    super("unavailable", "The server is busy checking passwords; try again in a moment");
  }
}

const defaults = () => {
  const concurrency = Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2)));
  return { concurrency, queue: Math.max(8, concurrency * 8) };
};

let limits = defaults();
let running = 0;
const waiting: (() => void)[] = [];

/** Changes the cap (tests); no arguments restores the defaults. */
export function configureHashing(next?: { concurrency?: number; queue?: number }) {
  limits = { ...defaults(), ...next };
}

/** How many hashes run and wait now (tests, health). */
export function hashingLoad(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}

async function withHashSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= limits.concurrency) {
    if (waiting.length >= limits.queue) throw new HashingBusyError();
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  try {
    return await fn();
  } finally {
    // Hand the slot straight to the next waiter (running stays the same), or free it.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function rawHash(password: string): Promise<string> {
  const salt = randomBytes(16);
  return scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 128 * N * R * 2 }).then(
    (key) => `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${key.toString("base64")}`,
  );
}

/** Hashes a new password. Throws HashingBusyError when the server is saturated. */
export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => rawHash(password));
}

/** Checks a password against a stored hash. Throws HashingBusyError when the server is saturated. */
export function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  return withHashSlot(async () => {
    if (!stored) {
      // Spend the same time as a real check so unknown accounts are not distinguishable by timing.
      await rawHash(password);
      return false;
    }
    const [kind, n, r, p, salt, hash] = stored.split("$");
    if (kind !== "scrypt" || !salt || !hash) return false;
    const expected = Buffer.from(hash, "base64");
    const key = await scrypt(password, Buffer.from(salt, "base64"), expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: 128 * Number(n) * Number(r) * 2,
    });
    return key.length === expected.length && timingSafeEqual(key, expected);
  });
}
