// POST /oauth/token — RFC 8693 token exchange: an enterprise ID token for an ID-JAG (docs/xaa-token-exchange.md)
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { exchangeToken, tokenRequestSchema } from "@/lib/xaa/token-exchange";

// No console authentication (no cookie, no CSRF check): the handler authenticates the client.
export const POST = withAuth(async ({ req, body }) => exchangeToken(req, body), {
  permission: null,
  auth: "none",
  bodyFormat: "form",
  errorFormat: "oauth",
  body: tokenRequestSchema,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
