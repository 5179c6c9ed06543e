import { errorResponse } from "@/lib/api/errors";
import { applyApiHeaders } from "@/lib/api/headers";

// Route files export a handler for every method they do not implement, so a wrong method gets
// 405 with `Allow` and the JSON error shape rather than Next's empty 405, and OPTIONS names only
// the methods the route really has (Next's own OPTIONS would count these refusals as methods):
//   export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
// (HEAD is answered by Next from GET, or by the GET refusal when there is no GET.)

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export const METHODS: readonly Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
type Handler = (req: Request) => Promise<Response>;

const refusals = new WeakSet<Handler>();

/** True for a handler made by methodsNotAllowed (the route does not implement that method). */
export function isRefusal(handler: unknown): boolean {
  return typeof handler === "function" && refusals.has(handler as Handler);
}

/** The `Allow` header for a route implementing `allowed`. */
export function allowHeader(allowed: readonly Method[]): string {
  return [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
}

export function methodsNotAllowed(allowed: readonly Method[]): Record<Method | "OPTIONS", Handler> {
  const allow = allowHeader(allowed);
  const refuse: Handler = async (req) =>
    errorResponse("method_not_allowed", `${req.method} is not allowed here; use ${allowed.join(" or ")}`, undefined, { allow });
  const options: Handler = async () => new Response(null, { status: 204, headers: applyApiHeaders(new Headers({ allow }), { noStore: true }) });
  refusals.add(refuse);
  return { GET: refuse, POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse, OPTIONS: options };
}
