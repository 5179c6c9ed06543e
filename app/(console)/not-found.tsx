import { NotFoundNotice } from "@/components/errors/not-found-notice";

export default function NotFound() {
  return <NotFoundNotice />;
}
