import type { Metadata } from "next";
import { ReviewPage } from "@/components/registry/review/review-page";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Review" };

// Readable by everyone who reads the catalog (a submitter follows their own review); deciding
// needs reviews.decide, checked again by the API.
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  await requireActor(ROUTES.servers.permission);
  const { id } = await params;
  return <ReviewPage id={id} />;
}
