"use client";

import { StandalonePage } from "@/components/errors/standalone";
import { SegmentError } from "@/components/shell/segment-error";

export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <StandalonePage>
      <SegmentError error={error} retry={retry} />
    </StandalonePage>
  );
}
