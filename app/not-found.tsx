import type { Metadata } from "next";
import { NotFoundNotice } from "@/components/errors/not-found-notice";
import { StandalonePage } from "@/components/errors/standalone";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <StandalonePage>
      <NotFoundNotice />
    </StandalonePage>
  );
}
