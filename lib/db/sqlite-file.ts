import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

// The SQLite file holds password hashes, token hashes and the audit log: it and its folder are
// private to the server's user (0600/0700), like the generated secrets. SQLite creates the
// -wal/-shm/-journal files with the mode of the database file, so creating the database file
// first with 0600 covers them; files left by an older version are tightened here as well.

export const SQLITE_FILE_MODE = 0o600;
export const SQLITE_DIR_MODE = 0o700;
const COMPANIONS = ["", "-wal", "-shm", "-journal"];

/** In-memory or temporary databases have no file to protect. */
function isFileBacked(path: string): boolean {
  return path !== "" && path !== ":memory:" && !path.startsWith("file:");
}

/**
 * Creates the database's folder (0700) and the database file (0600) when missing, and tightens
 * the modes of the file and its companions when this process owns them. Returns the absolute path.
 */
export function prepareSqliteFile(path: string): string {
  if (!isFileBacked(path)) return path;
  const file = resolve(path);
  const dir = dirname(file);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: SQLITE_DIR_MODE });
    chmodSync(dir, SQLITE_DIR_MODE); // mkdir's mode is filtered by the umask
  }
  // O_CREAT with 0600: no moment in which the file exists with a wider mode.
  closeSync(openSync(file, "a", SQLITE_FILE_MODE));
  tightenSqliteFiles(file);
  return file;
}

/**
 * For the app's client (lib/db.ts): creates a missing database file with 0600 when its folder
 * exists, and tightens existing files. Never throws and creates no folder: a database that cannot
 * be opened is reported by the first query (and /api/health), not by building the client.
 */
export function protectSqliteFile(path: string): string {
  if (!isFileBacked(path)) return path;
  const file = resolve(path);
  try {
    if (existsSync(dirname(file)) && !existsSync(file)) closeSync(openSync(file, "a", SQLITE_FILE_MODE));
    tightenSqliteFiles(file);
  } catch {
    // left to the connection to report
  }
  return file;
}

/** chmod 0600 on the database file and its -wal/-shm/-journal, where present and ours. */
export function tightenSqliteFiles(file: string): void {
  if (!isFileBacked(file)) return;
  const uid = process.getuid?.();
  for (const suffix of COMPANIONS) {
    const path = resolve(file) + suffix;
    try {
      const st = statSync(path);
      if ((st.mode & 0o777) !== SQLITE_FILE_MODE && (uid === undefined || st.uid === uid)) chmodSync(path, SQLITE_FILE_MODE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
}
