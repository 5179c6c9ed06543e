// POST /api/setup — first-run: create the first admin with the one-time code from the server log
import { toErrorResponse } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/handler";
import { completeSetup } from "@/lib/auth/bootstrap";
import { setupSchema } from "@/lib/users/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export async function POST(req: Request) {
  try {
    const parsed = setupSchema.parse(await readJsonBody(req));
    return Response.json(await completeSetup(parsed), { status: 201 });
  } catch (err) {
    return toErrorResponse(err);
  }
}

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
