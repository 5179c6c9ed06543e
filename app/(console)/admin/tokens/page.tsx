import type { Metadata } from "next";
import { TokensAdmin } from "@/components/admin/tokens/tokens-admin";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "API tokens" };

export default async function Page() {
  await requireActor(ROUTES.tokens.permission);
  return <TokensAdmin />;
}
