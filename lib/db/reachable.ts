import { engineOf, redactDatabaseUrl, sqlitePath } from "./engine";
import { prepareSqliteFile } from "./sqlite-file";

// At start, before migrating: is the database named by DATABASE_URL reachable? A few attempts
// with backoff (a database container often starts a moment after the console), then a message
// that names DATABASE_URL (password hidden) and why.

export class DatabaseUnreachableError extends Error {}

/** Failures that retrying cannot fix: wrong password, no such database or role. */
const PERMANENT = new Set(["28P01", "28000", "3D000"]);

async function probe(url: string, timeoutMs: number): Promise<void> {
  if (engineOf(url) === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(prepareSqliteFile(sqlitePath(url)));
    try {
      db.prepare("SELECT 1").get();
    } finally {
      db.close();
    }
    return;
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } finally {
    await client.end().catch(() => {});
  }
}

function reasonOf(err: unknown, url: string): string {
  const e = err as { message?: string; code?: string; errors?: { message?: string }[] };
  // AggregateError (every address of a host refused) carries the details in .errors
  let text = e?.message || e?.errors?.map((x) => x.message).join("; ") || String(err);
  if (!e?.message && e?.code) text = `${e.code} ${text}`;
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password) text = text.split(password).join("***");
  } catch {
    // not a URL: nothing to hide
  }
  return text;
}

export interface WaitOptions {
  attempts?: number;
  firstDelayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (message: string) => void;
}

export async function waitForDatabase(url: string, opts: WaitOptions = {}): Promise<void> {
  const attempts = opts.attempts ?? 5;
  const sleep = opts.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  const where = `the database named by DATABASE_URL (${redactDatabaseUrl(url)})`;
  let delay = opts.firstDelayMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      await probe(url, opts.timeoutMs ?? 5000);
      return;
    } catch (err) {
      const reason = reasonOf(err, url);
      const permanent = PERMANENT.has((err as { code?: string }).code ?? "");
      if (permanent || attempt >= attempts) {
        throw new DatabaseUnreachableError(
          permanent
            ? `cannot use ${where}: ${reason}`
            : `cannot reach ${where} after ${attempts} attempts: ${reason}`,
        );
      }
      opts.onRetry?.(`cannot reach ${where} (attempt ${attempt} of ${attempts}): ${reason}; retrying in ${delay / 1000}s`);
      await sleep(delay);
      delay *= 2;
    }
  }
}
