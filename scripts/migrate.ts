// `npm run db:migrate`: applies pending migrations to DATABASE_URL and exits (for deployments
// that run migrations separately and start the console with MIGRATE_ON_START=false).
import { env, EnvError } from "@/lib/env";
import { migrate } from "@/lib/db/migrate";

try {
  const e = env();
  const r = await migrate(e.DATABASE_URL);
  console.log(
    r.applied.length
      ? `${r.engine}: applied ${r.applied.join(", ")}`
      : `${r.engine}: up to date (${r.alreadyApplied} migrations applied before)`,
  );
} catch (err) {
  console.error(err instanceof EnvError ? err.message : `migration failed: ${(err as Error).message}`);
  process.exit(1);
}
