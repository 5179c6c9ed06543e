import { requireActor } from "@/lib/auth/session";

// Checked here, outside this segment's loading.tsx, so a role without reviews.decide gets a real
// 403. A single review (/servers/reviews/{id}) stays readable with catalog.read.
export default async function Layout({ children }: { children: React.ReactNode }) {
  await requireActor("reviews.decide");
  return children;
}
