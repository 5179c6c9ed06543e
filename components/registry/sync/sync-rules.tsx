"use client";

import Link from "next/link";
import { useState } from "react";
import { ShieldCheck } from "lucide-react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { errorMessage } from "@/lib/client/api";
import { fieldErrorsOf, useFormErrors } from "@/lib/client/form";
import { formatDate, formatDay } from "@/lib/client/format";
import { useCreateRuleMutation, useRevokeRuleMutation, useRulesQuery, type RuleJson, type UpstreamJson } from "@/lib/client/sync";
import { createRuleSchema } from "@/lib/registry/sync-schema";

// An upstream's allow rules: each admits the synced versions in a namespace without a review of
// its own, once another approver has approved the rule (four-eyes) and until it is revoked.

const STATE_TONE: Record<RuleJson["state"], BadgeTone> = { pending: "warning", approved: "success", rejected: "danger", withdrawn: "neutral", revoked: "neutral" };

export function SyncRules({ upstream, canManage }: { upstream: UpstreamJson; canManage: boolean }) {
  const rules = useRulesQuery(upstream.id, upstream.status === "running");
  const revoke = useRevokeRuleMutation(upstream.id);
  const [revoking, setRevoking] = useState<RuleJson | null>(null);
  const items = rules.data?.items ?? [];

  return (
    <section aria-label={`Allow rules of ${upstream.name}`} className="grid gap-3">
      <div className="grid gap-0.5">
        <h3 className="text-sm font-semibold">Allow rules</h3>
        <p className="text-xs text-muted-foreground">Versions in an approved rule&apos;s namespace are admitted without a review; everything else waits in the review queue.</p>
      </div>
      <div className="overflow-hidden rounded-lg border">
        {rules.isPending ? (
          <TableSkeleton rows={2} columns={4} label="Loading rules" />
        ) : rules.isError ? (
          <ErrorState error={rules.error} title="Could not load the rules" onRetry={() => void rules.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState icon={ShieldCheck} title="No allow rules" description="Every synced version waits for a review." className="py-8" />
        ) : (
          <Table aria-label={`Allow rules of ${upstream.name}`}>
            <TableHeader>
              <TableRow>
                <TableHead>Namespace</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Proposed</TableHead>
                <TableHead>Approved</TableHead>
                {canManage && <TableHead className="sr-only">Actions</TableHead>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((r) => (
                <TableRow key={r.id} className={r.state === "revoked" || r.state === "rejected" ? "text-muted-foreground" : undefined}>
                  <TableCell>
                    <span className="font-mono text-sm break-all">{r.namespace}</span>
                    {r.comment && <p className="text-xs text-muted-foreground">{r.comment}</p>}
                  </TableCell>
                  <TableCell>
                    <Badge tone={STATE_TONE[r.state]}>{r.state}</Badge>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    <span title={formatDate(r.createdAt, true)}>{formatDay(r.createdAt)}</span>
                    <span className="block text-xs text-muted-foreground">by {r.createdBy.name ?? "unknown"}</span>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {r.approvedBy ? (
                      <>
                        <span title={formatDate(r.approvedAt, true)}>{formatDay(r.approvedAt)}</span>
                        <span className="block text-xs text-muted-foreground">by {r.approvedBy.name ?? "unknown"}</span>
                      </>
                    ) : r.state === "pending" ? (
                      <span className="grid text-xs text-muted-foreground">
                        Awaiting another approver
                        {r.reviewId && (
                          <Link href={`/servers/reviews/${r.reviewId}`} className="text-primary underline">
                            Open the review
                          </Link>
                        )}
                      </span>
                    ) : (
                      "—"
                    )}
                  </TableCell>
                  {canManage && (
                    <TableCell className="text-right">
                      {r.state !== "revoked" && (
                        <Button variant="destructive-outline" size="sm" onClick={() => setRevoking(r)} aria-label={`Revoke rule ${r.namespace}`}>
                          Revoke
                        </Button>
                      )}
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
      {canManage && <AddRuleForm upstream={upstream} />}
      <ConfirmDialog
        open={!!revoking}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={`Revoke rule ${revoking?.namespace ?? ""}?`}
        description="It admits nothing from now on; new versions in its namespace wait for a review. Versions it already admitted stay, recorded with the rule."
        confirmLabel="Revoke"
        destructive
        pending={revoke.isPending}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: (r) => {
              toast.success(`Revoked rule ${r.namespace}`);
              setRevoking(null);
            },
            onError: (err) => toast.error(errorMessage(err)),
          })
        }
      />
    </section>
  );
}

function AddRuleForm({ upstream }: { upstream: UpstreamJson }) {
  const create = useCreateRuleMutation(upstream.id);
  const form = useFormErrors();

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const data = new FormData(el);
    const comment = String(data.get("comment") ?? "").trim();
    const parsed = createRuleSchema.safeParse({ namespace: String(data.get("namespace") ?? ""), ...(comment ? { comment } : {}) });
    if (!parsed.success) {
      form.invalid(el, fieldErrorsOf(parsed.error));
      return;
    }
    form.clear();
    create.mutate(parsed.data, {
      onSuccess: (r) => {
        el.reset();
        toast.success(`Rule ${r.namespace} proposed; another approver decides it in the review queue`);
      },
      onError: (err) => form.failed(el, err),
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start" aria-label={`Propose an allow rule for ${upstream.name}`}>
      {form.formError && <Alert className="sm:col-span-3">{form.formError}</Alert>}
      <Field label="Namespace" error={form.errors.namespace} hint='A prefix ending in "/" (io.github.acme/) or one server name.'>
        {(p) => <Input {...p} name="namespace" placeholder="io.github.acme/" spellCheck={false} autoComplete="off" className="font-mono" />}
      </Field>
      <Field label="Why (optional)" error={form.errors.comment}>
        {(p) => <Input {...p} name="comment" autoComplete="off" />}
      </Field>
      <Button type="submit" variant="secondary" disabled={create.isPending} className="sm:mt-6">
        {create.isPending && <Spinner />}
        Propose rule
      </Button>
    </form>
  );
}
