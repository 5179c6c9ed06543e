import { AuthSkeleton } from "@/components/auth/auth-skeleton";

export default function Loading() {
  return <AuthSkeleton />;
}
