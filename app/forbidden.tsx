import { ForbiddenNotice } from "@/components/errors/forbidden-notice";
import { StandalonePage } from "@/components/errors/standalone";

export default function Forbidden() {
  return (
    <StandalonePage>
      <ForbiddenNotice />
    </StandalonePage>
  );
}
