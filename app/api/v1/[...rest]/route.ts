// /api/v1/* that matches no route — a JSON 404 for every method (OPTIONS and HEAD included, so
// Next's automatic OPTIONS does not advertise methods on a path that does not exist)
import { errorResponse } from "@/lib/api/errors";

async function notFound(req: Request) {
  return errorResponse("not_found", `No API route ${req.method} ${new URL(req.url).pathname}`);
}

export {
  notFound as GET,
  notFound as HEAD,
  notFound as POST,
  notFound as PUT,
  notFound as PATCH,
  notFound as DELETE,
  notFound as OPTIONS,
};
