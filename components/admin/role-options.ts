import { ROLE_DESCRIPTIONS } from "@/components/ui/role-badge";
import { HUMAN_ROLES, ROLES } from "@/lib/auth/permissions";
import type { SelectOption } from "@/components/ui/select";

/** For people: the gateway role belongs to service accounts only. */
export const ROLE_OPTIONS: SelectOption[] = HUMAN_ROLES.map((r) => ({ value: r, label: r, description: ROLE_DESCRIPTIONS[r] }));

/** For service accounts: every role, gateway included. */
export const SERVICE_ROLE_OPTIONS: SelectOption[] = ROLES.map((r) => ({ value: r, label: r, description: ROLE_DESCRIPTIONS[r] }));

/** For compact selects (table rows): names only. */
export const ROLE_OPTIONS_SHORT: SelectOption[] = HUMAN_ROLES.map((r) => ({ value: r, label: r }));
