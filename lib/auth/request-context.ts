import { AsyncLocalStorage } from "node:async_hooks";
import type { ClientInfo } from "@/lib/server/client";

// next-auth's callbacks and events do not see the request. The /api/auth route runs next-auth
// inside runWithClient(clientInfo(req.headers)), so sign-in and sign-out know the client address
// and user agent (for the throttle, the session row and the audit event).

const storage = new AsyncLocalStorage<ClientInfo>();

export function runWithClient<T>(client: ClientInfo, fn: () => T): T {
  return storage.run(client, fn);
}

/** The client of the request being handled, or unknown outside one. */
export function currentClient(): ClientInfo {
  return storage.getStore() ?? { address: null, userAgent: null };
}
