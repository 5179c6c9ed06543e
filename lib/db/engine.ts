/** Which engine a DATABASE_URL names, and the SQLite file path it points at. */
export type Engine = "sqlite" | "postgresql";

export function engineOf(url: string): Engine {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error("DATABASE_URL must start with file: or postgres(ql)://");
}

/** `file:./data/x.db` -> `./data/x.db` (query string, if any, dropped). */
export function sqlitePath(url: string): string {
  return url.slice("file:".length).split("?")[0];
}

/** DATABASE_URL fit for a log line or an error message: the password replaced by `***`. */
export function redactDatabaseUrl(url: string): string {
  if (url.startsWith("file:")) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return `${url.split(":", 1)[0]}://… (not a valid URL)`;
  }
}
