// POST /api/setup — first-run: create the first admin with the one-time code from the server log
import { ApiError, toErrorResponse } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/handler";
import { completeSetup, setupNeeded } from "@/lib/auth/bootstrap";
import { clientInfo } from "@/lib/server/client";
import { setupSchema } from "@/lib/users/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export async function POST(req: Request) {
  try {
    // Cheapest first: once set up, nothing else about the request matters.
    if (!(await setupNeeded())) throw new ApiError("conflict", "Setup is already complete");
    const parsed = setupSchema.parse(await readJsonBody(req));
    return Response.json(await completeSetup(parsed, clientInfo(req.headers)), { status: 201 });
  } catch (err) {
    return toErrorResponse(err);
  }
}

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
