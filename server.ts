// The console's entry point (`npm start`): validates configuration, applies migrations, creates
// the first admin or prints a setup code, builds when the build is missing or stale, starts the
// audit sealer and serves Next with one JSON log line per request.
import { createServer } from "node:http";
import next from "next";
import { env, EnvError } from "@/lib/env";
import { logger } from "@/lib/log";
import { migrate } from "@/lib/db/migrate";
import { bootstrap } from "@/lib/auth/bootstrap";
import { startSealer } from "@/lib/audit/sealer";
import { buildApp, buildIsCurrent } from "@/lib/server/build-stamp";
import { db } from "@/lib/db";

// Air-gapped by design: no telemetry calls home.
process.env.NEXT_TELEMETRY_DISABLED = "1";

const root = process.cwd();
const dev = process.env.PORTCULLIS_DEV === "1";

async function main() {
  let e;
  try {
    e = env();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  process.env.DATABASE_URL = e.DATABASE_URL;
  const log = logger();

  if (e.MIGRATE_ON_START) {
    const r = await migrate(e.DATABASE_URL, root);
    log.info({ engine: r.engine, applied: r.applied, alreadyApplied: r.alreadyApplied }, "database migrations");
  }
  const { setupCode } = await bootstrap(e);
  if (setupCode) {
    log.warn({ setupUrl: `${e.PUBLIC_BASE_URL}/setup` }, "no users yet: open /setup and enter the one-time setup code");
    // The code is meant for the operator's eyes, on the console, not for a log pipeline field.
    console.log(`\n  Portcullis first-run setup code: ${setupCode}\n  Open ${e.PUBLIC_BASE_URL}/setup\n`);
  }

  if (!dev && !buildIsCurrent(root)) {
    log.info("building the console (no build, or sources changed since the last one)");
    buildApp(root);
  }

  const app = next({ dev, dir: root, port: e.PORT, hostname: e.HOST });
  const handle = app.getRequestHandler();
  await app.prepare();
  const stopSealer = startSealer(e.SEALER_INTERVAL_MS);

  const server = createServer((req, res) => {
    const start = performance.now();
    res.on("finish", () => {
      log.info(
        {
          method: req.method,
          path: (req.url ?? "").split("?")[0],
          status: res.statusCode,
          ms: Math.round((performance.now() - start) * 10) / 10,
        },
        "request",
      );
    });
    handle(req, res).catch((err) => {
      log.error({ err }, "request failed");
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      }
    });
  });
  server.listen(e.PORT, e.HOST, () => {
    log.info({ url: e.PUBLIC_BASE_URL, port: e.PORT, database: e.DATABASE_URL.startsWith("file:") ? "sqlite" : "postgresql" }, "portcullis listening");
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    server.close();
    await stopSealer().catch(() => {});
    await db().$disconnect().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  console.error(`portcullis failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
