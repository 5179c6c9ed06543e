"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useActor, useCan } from "@/components/shell/actor-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { RiskBadge } from "@/components/registry/catalog/status-badges";
import { ApiClientError, errorMessage } from "@/lib/client/api";
import { useUpdateServerMutation, type ServerDetail } from "@/lib/client/servers";

const NOT_RATED = "__none__";
const RISKS = [
  { value: NOT_RATED, label: "Not rated" },
  { value: "low", label: "Low" },
  { value: "medium", label: "Medium" },
  { value: "high", label: "High" },
  { value: "critical", label: "Critical" },
];

/** Console metadata: owner team and tags (owners); risk level, reviewer notes and the issuer of
 * the server's authorization server (reviewers; delegation policies must name it as audience). */
export function ServerMetadata({ server }: { server: ServerDetail }) {
  const me = useActor();
  const can = useCan();
  const reviewer = can("reviews.decide");
  const owner = can("servers.submit") && server.owners.some((o) => o.userId === me.id);
  const editable = reviewer || owner;
  const update = useUpdateServerMutation(server.id);
  const [team, setTeam] = useState(server.ownerTeam ?? "");
  const [tags, setTags] = useState(server.tags.join(", "));
  const [risk, setRisk] = useState(server.riskLevel ?? NOT_RATED);
  const [notes, setNotes] = useState(server.reviewerNotes ?? "");
  const [issuer, setIssuer] = useState(server.authIssuer ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});

  if (!editable) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>About</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-2 text-sm">
          <div>
            <span className="text-muted-foreground">Owner team: </span>
            {server.ownerTeam ?? "—"}
          </div>
          <div className="flex items-center gap-2">
            <span className="text-muted-foreground">Risk: </span>
            <RiskBadge risk={server.riskLevel} />
          </div>
          <div>
            <span className="text-muted-foreground">Authorization server: </span>
            <span className="break-all">{server.authIssuer ?? "not recorded"}</span>
          </div>
        </CardContent>
      </Card>
    );
  }

  function save(e: React.FormEvent) {
    e.preventDefault();
    const patch: Parameters<typeof update.mutate>[0] = {
      ownerTeam: team.trim() || null,
      tags: tags
        .split(",")
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    };
    if (reviewer) {
      patch.riskLevel = risk === NOT_RATED ? null : risk;
      patch.reviewerNotes = notes.trim() || null;
      patch.authIssuer = issuer.trim() || null;
    }
    setErrors({});
    update.mutate(patch, {
      onSuccess: () => toast.success("Saved"),
      onError: (err) => {
        if (err instanceof ApiClientError && err.status === 422) setErrors(err.fieldErrors);
        toast.error(errorMessage(err));
      },
    });
  }

  const tagError = Object.entries(errors).find(([k]) => k.startsWith("tags"))?.[1];
  return (
    <Card>
      <CardHeader>
        <CardTitle>About</CardTitle>
        <CardDescription>Shown in the console and served under the registry’s “io.portcullis/catalog” metadata.</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={save} className="grid gap-4" noValidate>
          <Field label="Owner team" error={errors.ownerTeam}>
            {(p) => <Input {...p} value={team} onChange={(e) => setTeam(e.target.value)} maxLength={120} placeholder="e.g. Platform" />}
          </Field>
          <Field label="Tags" hint="Comma-separated: letters, digits, dots or dashes." error={tagError}>
            {(p) => <Input {...p} value={tags} onChange={(e) => setTags(e.target.value)} placeholder="files, database" />}
          </Field>
          {reviewer && (
            <>
              <Field label="Risk level" error={errors.riskLevel}>
                {(p) => <Select {...p} value={risk} onValueChange={setRisk} options={RISKS} />}
              </Field>
              <Field label="Reviewer notes" hint="Seen by reviewers and the server’s owners only." error={errors.reviewerNotes}>
                {(p) => <Textarea {...p} value={notes} onChange={(e) => setNotes(e.target.value)} rows={3} maxLength={4000} />}
              </Field>
              <Field
                label="Authorization server (issuer)"
                hint="The issuer of the OAuth authorization server in front of this server’s MCP endpoint. When set, delegation policies (XAA) toward this server must name it as their audience."
                error={errors.authIssuer}
              >
                {(p) => <Input {...p} type="url" value={issuer} onChange={(e) => setIssuer(e.target.value)} maxLength={2000} placeholder="https://auth.example.com" />}
              </Field>
            </>
          )}
          {!reviewer && (
            <div className="grid gap-1 text-sm">
              <span className="font-medium">Authorization server</span>
              <p className="break-all text-muted-foreground">{server.authIssuer ?? "not recorded"}</p>
            </div>
          )}
          {!reviewer && server.reviewerNotes && (
            <div className="grid gap-1 text-sm">
              <span className="font-medium">Reviewer notes</span>
              <p className="whitespace-pre-wrap text-muted-foreground">{server.reviewerNotes}</p>
            </div>
          )}
          <div>
            <Button type="submit" disabled={update.isPending}>
              {update.isPending && <Spinner />}
              Save
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
