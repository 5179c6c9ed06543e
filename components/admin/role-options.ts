import { ROLE_DESCRIPTIONS } from "@/components/ui/role-badge";
import { ROLES } from "@/lib/auth/permissions";
import type { SelectOption } from "@/components/ui/select";

export const ROLE_OPTIONS: SelectOption[] = ROLES.map((r) => ({ value: r, label: r, description: ROLE_DESCRIPTIONS[r] }));

/** For compact selects (table rows): names only. */
export const ROLE_OPTIONS_SHORT: SelectOption[] = ROLES.map((r) => ({ value: r, label: r }));
