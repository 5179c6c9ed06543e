import { errorResponse } from "@/lib/api/errors";

// Route files export a handler for every method they do not implement, so a wrong method gets
// 405 with `Allow` and the JSON error shape rather than Next's empty 405:
//   export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
// (HEAD and OPTIONS are answered by Next itself from the implemented methods.)

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Handler = (req: Request) => Promise<Response>;

export function methodsNotAllowed(allowed: readonly Method[]): Record<Method, Handler> {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse: Handler = async (req) =>
    errorResponse("method_not_allowed", `${req.method} is not allowed here; use ${allowed.join(" or ")}`, undefined, {
      allow,
      "cache-control": "no-store",
    });
  return { GET: refuse, POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse };
}
