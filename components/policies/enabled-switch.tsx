"use client";

import { useState } from "react";
import { Switch } from "radix-ui";
import { toast } from "sonner";
import { useCan } from "@/components/shell/actor-context";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { errorMessage } from "@/lib/client/api";
import { cn } from "@/lib/client/cn";
import { useSetPolicyEnabledMutation, type PolicyDetail } from "@/lib/client/policies";

/**
 * Enable/disable a policy without a new version: an approver's switch (reviews.decide), asked
 * to confirm either way because the decision point follows it at once. Others see the state only.
 */
export function EnabledSwitch({ policy }: { policy: Pick<PolicyDetail, "id" | "name" | "enabled" | "active"> }) {
  const can = useCan();
  const mutation = useSetPolicyEnabledMutation(policy.id);
  const [asking, setAsking] = useState<boolean | null>(null);
  const decider = can("reviews.decide");
  const hasActive = !!policy.active;
  if (!decider || !hasActive) {
    return (
      <p className="text-sm text-muted-foreground">
        {policy.enabled ? "Enabled" : "Disabled"}
        {!hasActive ? " (nothing in effect until a version is approved)" : ""}
      </p>
    );
  }
  const label = policy.enabled ? "Enabled" : "Disabled";
  return (
    <div className="flex items-center gap-2.5">
      <Switch.Root
        id={`policy-enabled-${policy.id}`}
        checked={policy.enabled}
        onCheckedChange={(on) => setAsking(on)}
        disabled={mutation.isPending}
        aria-describedby={`policy-enabled-${policy.id}-hint`}
        className={cn(
          "relative inline-flex h-6 w-11 shrink-0 cursor-pointer items-center rounded-full border-2 border-transparent transition-colors",
          "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-50",
          "bg-muted-foreground/50 data-[state=checked]:bg-emerald-600",
        )}
      >
        <Switch.Thumb className="pointer-events-none block size-5 rounded-full bg-card shadow-sm ring-0 transition-transform data-[state=checked]:translate-x-5 data-[state=unchecked]:translate-x-0" />
      </Switch.Root>
      <label htmlFor={`policy-enabled-${policy.id}`} className="cursor-pointer text-sm font-medium">
        {label}
      </label>
      <span id={`policy-enabled-${policy.id}-hint`} className="sr-only">
        Turning this off stops the policy from matching any request, without a new version.
      </span>
      <ConfirmDialog
        open={asking !== null}
        onOpenChange={(open) => !open && setAsking(null)}
        title={asking ? `Enable ${policy.name}?` : `Disable ${policy.name}?`}
        description={
          asking
            ? "The decision point applies its active version again at once: agents may be granted its scopes from the next request. Audited."
            : "The decision point stops applying it at once: what it allowed is denied (and what it denied is no longer denied) from the next request. Audited; enable it again at any time."
        }
        confirmLabel={asking ? "Enable policy" : "Disable policy"}
        destructive={asking === false}
        pending={mutation.isPending}
        onConfirm={() =>
          asking !== null &&
          mutation.mutate(asking, {
            onSuccess: () => toast.success(asking ? `${policy.name} is enabled` : `${policy.name} is disabled`),
            onError: (err) => toast.error(errorMessage(err)),
            onSettled: () => setAsking(null),
          })
        }
      />
    </div>
  );
}
