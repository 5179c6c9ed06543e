import { ForbiddenNotice } from "@/components/errors/forbidden-notice";

// A console page the role may not open: shown inside the shell, with HTTP 403.
export default function Forbidden() {
  return <ForbiddenNotice />;
}
