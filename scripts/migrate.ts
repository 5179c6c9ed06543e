// `npm run db:migrate`: applies pending migrations to DATABASE_URL and exits (for deployments
// that run migrations separately and start the console with MIGRATE_ON_START=false).
// `npm run db:migrate -- --rolled-back <name>` marks a migration that failed part-way outside a
// transaction as rolled back, after the database was repaired by hand (docs/database.md).
import { env, EnvError } from "@/lib/env";
import { markRolledBack, migrate } from "@/lib/db/migrate";
import { engineOf } from "@/lib/db/engine";

try {
  const e = env();
  const flag = process.argv.indexOf("--rolled-back");
  if (flag !== -1) {
    const name = process.argv[flag + 1] ?? "";
    if (!(await markRolledBack(e.DATABASE_URL, name))) {
      console.error(`no failed migration named ${name} to mark rolled back`);
      process.exit(1);
    }
    console.log(`${engineOf(e.DATABASE_URL)}: marked ${name} as rolled back; the next run applies it again`);
  } else {
    const r = await migrate(e.DATABASE_URL);
    console.log(
      r.applied.length
        ? `${r.engine}: applied ${r.applied.join(", ")}`
        : `${r.engine}: up to date (${r.alreadyApplied} migrations applied before)`,
    );
  }
} catch (err) {
  console.error(err instanceof EnvError ? err.message : `migration failed: ${(err as Error).message}`);
  process.exit(1);
}
