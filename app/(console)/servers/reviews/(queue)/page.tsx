import type { Metadata } from "next";
import { Suspense } from "react";
import { ReviewQueue } from "@/components/registry/review/review-queue";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Review queue" };

export default async function Page() {
  await requireActor("reviews.decide");
  return (
    <Suspense>
      <ReviewQueue />
    </Suspense>
  );
}
