import { db } from "@/lib/db";
import "@/lib/reviews/handlers";
import { createAgent } from "@/lib/cimd/data";
import { decideReview } from "@/lib/reviews/data";
import { BASE_URL } from "./constants";
import { actorOf, uid, type Principal, type TestContext } from "./context";

// Agents for tests: documents that pass every rule, and agents made (and published) through the
// library, as the API would.

export const clientIdOf = (slug: string) => `${BASE_URL}/oauth/clients/${slug}`;

export function cimdDoc(slug: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_id: clientIdOf(slug),
    client_name: `Agent ${slug}`,
    redirect_uris: ["https://app.example.com/callback"],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    ...extra,
  };
}

export function headlessDoc(slug: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_id: clientIdOf(slug),
    client_name: `Robot ${slug}`,
    grant_types: ["client_credentials"],
    response_types: [],
    token_endpoint_auth_method: "private_key_jwt",
    jwks: { keys: [{ kty: "EC", crv: "P-256", kid: "k1", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" }] },
    ...extra,
  };
}

export const newSlug = (prefix = "agent") => `${prefix}-${uid().toLowerCase().replace(/[^a-z0-9]/g, "")}`;

/** An agent owned by `owner` (default: the publisher); published when asked (approved by the approver). */
export async function makeAgent(ctx: TestContext, opts: { owner?: Principal; publish?: boolean; kind?: "interactive" | "headless"; document?: Record<string, unknown>; slug?: string } = {}) {
  const owner = opts.owner ?? ctx.users.publisher;
  const slug = opts.slug ?? newSlug();
  const kind = opts.kind ?? "interactive";
  const document = opts.document ?? (kind === "headless" ? headlessDoc(slug) : cimdDoc(slug));
  const made = await createAgent(actorOf(owner), { slug, name: `Agent ${slug}`, kind, document }, "api");
  if (opts.publish) {
    const approver = owner.id === ctx.users.approver.id ? ctx.users.admin : ctx.users.approver;
    await decideReview(actorOf(approver), made.review!.id, { decision: "approve" });
  }
  return { ...made, slug, document, agent: await db().agent.findUniqueOrThrow({ where: { id: made.id } }) };
}
