// The console's entry point (`npm start`): validates configuration, waits for the database,
// applies migrations, creates the first admin or prints a setup code, builds when the build is
// missing or stale, starts the audit sealer and serves Next. Every request first passes the
// edges (lib/server/edges.ts: security headers, refusals, trusted client headers).
import { createServer } from "node:http";
import next from "next";
import { env, EnvError } from "@/lib/env";
import { logger } from "@/lib/log";
import { migrate } from "@/lib/db/migrate";
import { waitForDatabase } from "@/lib/db/reachable";
import { bootstrap } from "@/lib/auth/bootstrap";
import { startSealer } from "@/lib/audit/sealer";
import { startVerifier } from "@/lib/audit/verifier";
import { buildApp, buildIsCurrent } from "@/lib/server/build-stamp";
import { answerClientError, answerConnect, edgeOptions } from "@/lib/server/edges";
import { requestListener } from "@/lib/server/listener";
import { shutdown, trackRequests } from "@/lib/server/shutdown";
import { db } from "@/lib/db";
import { rebuild as buildRegistrySnapshot, startRegistryFollower } from "@/lib/public/store";
import { rebuildCimd, startCimdFollower } from "@/lib/public/cimd";
import { startSyncScheduler } from "@/lib/registry/sync";
import { startRecheckScheduler } from "@/lib/registry/tools-recheck";
import { rebuildPolicyIndex, startPolicyIndexFollower } from "@/lib/xaa/index";
import { drainDecisions } from "@/lib/xaa/decision-log";
import { startTokenCacheFollower } from "@/lib/auth/token-cache";

// Air-gapped by design: no telemetry calls home.
process.env.NEXT_TELEMETRY_DISABLED = "1";

const root = process.cwd();
const dev = process.env.PORTCULLIS_DEV === "1";
const DRAIN_TIMEOUT_MS = 10_000;

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

  await waitForDatabase(e.DATABASE_URL, { onRetry: (message) => log.warn(message) });
  if (e.MIGRATE_ON_START) {
    const r = await migrate(e.DATABASE_URL, root);
    log.info({ engine: r.engine, applied: r.applied, alreadyApplied: r.alreadyApplied }, "database migrations");
  }
  const { setupCode } = await bootstrap(e);
  // The code is meant for the operator's eyes, on the console, not for a log pipeline field.
  const setupBanner = setupCode && `\n  Portcullis first-run setup code: ${setupCode}\n  Open ${e.PUBLIC_BASE_URL}/setup\n`;
  if (setupBanner) {
    log.warn({ setupUrl: `${e.PUBLIC_BASE_URL}/setup` }, "no users yet: open /setup and enter the one-time setup code");
    console.log(setupBanner);
  }

  if (!dev && !buildIsCurrent(root)) {
    log.info("building the console (no build, or sources changed since the last one; about a minute)");
    buildApp(root);
  }

  const app = next({ dev, dir: root, port: e.PORT, hostname: e.HOST });
  await app.prepare();
  const stopSealer = startSealer(e.SEALER_INTERVAL_MS);
  const stopVerifier = startVerifier(e.SEALER_INTERVAL_MS);
  // The public registry's snapshot: built before we listen, then kept current (lib/public).
  await buildRegistrySnapshot();
  const stopRegistry = startRegistryFollower(500);
  // The hosted client metadata documents, likewise.
  await rebuildCimd();
  const stopCimd = startCimdFollower(500);
  // The delegation policy index and the decision point's token cache (lib/xaa, lib/auth).
  await rebuildPolicyIndex();
  const stopPolicies = startPolicyIndexFollower(500);
  const stopTokens = startTokenCacheFollower(500);
  const stopSync = startSyncScheduler();
  const stopRecheck = e.RECHECK_POLL_MS > 0 ? startRecheckScheduler(e.RECHECK_POLL_MS) : async () => {};

  const edges = edgeOptions(e);
  const server = createServer(requestListener(app.getRequestHandler(), edges, log));
  server.on("clientError", (err, socket) => answerClientError(err, socket, edges));
  server.on("connect", (_req, socket) => answerConnect(socket, edges));
  const requests = trackRequests(server);
  server.listen(e.PORT, e.HOST, () => {
    log.info({ url: e.PUBLIC_BASE_URL, port: e.PORT, database: e.DATABASE_URL.startsWith("file:") ? "sqlite" : "postgresql" }, "portcullis listening");
    // Again, now that the build output has scrolled the first one away.
    if (setupBanner) console.log(setupBanner);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await shutdown(signal, {
      drain: () => requests.drain(DRAIN_TIMEOUT_MS),
      // decisions' audit events are written before the sealer stops, so they are sealed next start at the latest
      stopJobs: () =>
        drainDecisions()
          .then(() => Promise.all([stopSealer(), stopVerifier(), stopRegistry(), stopCimd(), stopPolicies(), stopTokens(), stopSync(), stopRecheck()]))
          .then(() => {}),
      closeDatabase: () => db().$disconnect(),
      log,
    });
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err) => {
  console.error(`portcullis failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
