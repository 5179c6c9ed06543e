import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Unit tests sit beside the code (lib/**/*.test.ts); integration tests call the route handlers
// directly (tests/**). Every test file makes its own scratch database (tests/helpers/database.ts),
// so files may run in parallel without touching each other's data.
export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL(".", import.meta.url)) },
  },
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", "lib/generated/**"],
    pool: "forks",
    globalSetup: ["tests/helpers/global-setup.ts"],
    setupFiles: ["tests/helpers/setup-env.ts"],
    // scrypt (N=2^15) costs ~100 ms per hash; PostgreSQL scratch databases take a moment too.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    restoreMocks: true,
    unstubEnvs: true,
  },
});
