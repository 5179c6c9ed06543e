// GET /api/v1/me — the caller, its role and permissions
import { withAuth } from "@/lib/api/handler";
import { ROLE_PERMISSIONS } from "@/lib/auth/permissions";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(
  async ({ actor }) =>
    Response.json({
      id: actor.id,
      kind: actor.kind,
      name: actor.name,
      email: actor.email,
      role: actor.role,
      via: actor.via,
      mustChangePassword: actor.mustChangePassword ?? false,
      permissions: [...ROLE_PERMISSIONS[actor.role]].sort(),
    }),
  { permission: null },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
