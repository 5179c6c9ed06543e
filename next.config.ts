import type { NextConfig } from "next";

// Headers every response gets. The CSP (with a per-request nonce) is set in proxy.ts, because
// Next must see the nonce on the request to put it on its own inline scripts.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // forbidden() / unauthorized() in pages (lib/auth/session.ts)
  experimental: { authInterrupts: true },
  // tests and `tsx` resolve the generated clients from source; Next bundles them
  serverExternalPackages: ["pino", "better-sqlite3", "pg"],
  // The build type-checks the app only; tests are checked by `tsc --noEmit` in `npm test`.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
