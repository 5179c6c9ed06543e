// /api/v1/* that matches no route — a JSON 404 instead of the HTML not-found page
import { errorResponse } from "@/lib/api/errors";

function notFound(req: Request) {
  return errorResponse("not_found", `No API route ${req.method} ${new URL(req.url).pathname}`);
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
