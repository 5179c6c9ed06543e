import type { Metadata } from "next";
import { SyncPage } from "@/components/registry/sync/sync-page";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sync" };

// Readable with catalog.read; the writes (reviews.decide) are checked again by every API handler.
export default async function Page() {
  await requireActor("catalog.read");
  return <SyncPage />;
}
