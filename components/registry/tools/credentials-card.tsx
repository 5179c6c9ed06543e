"use client";

import { useId, useState } from "react";
import { KeyRound, Plus, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ApiClientError, errorMessage } from "@/lib/client/api";
import { formatRelative } from "@/lib/client/format";
import { useCredentialsQuery, useDeleteCredentialsMutation, useSetCredentialsMutation, type CredentialsInput } from "@/lib/client/snapshots";

// Credentials the snapshot connection presents: write-only. The card says whether some are set
// and of which kind; values typed here are sent once and never shown again.

export function CredentialsCard({ serverId }: { serverId: string }) {
  const info = useCredentialsQuery(serverId, true);
  const set = useSetCredentialsMutation(serverId);
  const remove = useDeleteCredentialsMutation(serverId);
  const [kind, setKind] = useState<"headers" | "oauth_client_credentials">("headers");
  const [rows, setRows] = useState([{ name: "", value: "" }]);
  const [oauth, setOauth] = useState({ issuer: "", clientId: "", clientSecret: "", scope: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const headingId = useId();

  const save = async () => {
    setErrors({});
    const input: CredentialsInput =
      kind === "headers"
        ? { kind, headers: Object.fromEntries(rows.filter((r) => r.name.trim()).map((r) => [r.name.trim(), r.value])) }
        : { kind, issuer: oauth.issuer.trim(), clientId: oauth.clientId.trim(), clientSecret: oauth.clientSecret, ...(oauth.scope.trim() ? { scope: oauth.scope.trim() } : {}) };
    try {
      await set.mutateAsync(input);
      toast.success("Snapshot credentials saved");
      setRows([{ name: "", value: "" }]);
      setOauth({ issuer: "", clientId: "", clientSecret: "", scope: "" });
      setEditing(false);
    } catch (err) {
      if (err instanceof ApiClientError && Object.keys(err.fieldErrors).length) setErrors(err.fieldErrors);
      else toast.error(errorMessage(err));
    }
  };
  const configured = info.data?.configured ? info.data : null;
  // Errors on the headers as a whole, or on a header no longer in the form.
  const named = new Set(rows.map((r) => `headers.${r.name.trim()}`));
  const stray = Object.entries(errors).find(([k]) => k.startsWith("headers.") && !named.has(k));
  const headerError = errors.headers ?? (stray ? `${stray[0].slice("headers.".length)} ${stray[1]}` : undefined);

  return (
    <Card role="region" aria-labelledby={headingId}>
      <CardHeader>
        <CardTitle id={headingId} className="flex items-center gap-2">
          <KeyRound aria-hidden className="size-4" /> Snapshot credentials
        </CardTitle>
        <CardDescription>What the console presents when it connects to take a snapshot. Stored encrypted; never shown again.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <p className="text-sm">
          {info.isPending
            ? "Loading…"
            : info.isError
              ? `Could not read the credentials: ${errorMessage(info.error)}`
              : configured
              ? `Set: ${configured.kind === "headers" ? "static headers" : "OAuth client credentials"}, updated ${formatRelative(configured.updatedAt ?? null)}.`
              : "None: snapshots connect without credentials."}
        </p>
        {!editing ? (
          <div className="flex flex-wrap gap-2">
            <Button size="sm" variant="secondary" onClick={() => setEditing(true)}>
              {configured ? "Replace" : "Set credentials"}
            </Button>
            {configured && (
              <Button size="sm" variant="destructive-outline" onClick={() => setConfirming(true)}>
                <Trash2 aria-hidden /> Remove
              </Button>
            )}
          </div>
        ) : (
          <form
            className="grid gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <fieldset className="flex gap-4 text-sm">
              <legend className="sr-only">Kind</legend>
              <label className="flex items-center gap-1.5">
                <input type="radio" name="kind" checked={kind === "headers"} onChange={() => setKind("headers")} /> Static headers
              </label>
              <label className="flex items-center gap-1.5">
                <input type="radio" name="kind" checked={kind === "oauth_client_credentials"} onChange={() => setKind("oauth_client_credentials")} /> OAuth client credentials
              </label>
            </fieldset>
            {kind === "headers" ? (
              <div className="grid gap-2">
                {rows.map((r, i) => {
                  const rowError = r.name.trim() ? errors[`headers.${r.name.trim()}`] : undefined;
                  return (
                    <div key={i} className="grid gap-1">
                      <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] gap-2">
                        <Input
                          aria-label={`Header ${i + 1} name`}
                          aria-invalid={rowError ? true : undefined}
                          placeholder="x-api-key"
                          autoComplete="off"
                          value={r.name}
                          onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
                        />
                        <Input aria-label={`Header ${i + 1} value`} type="password" autoComplete="off" value={r.value} onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} />
                        <Button size="sm" variant="ghost" type="button" aria-label={`Remove header ${i + 1}`} disabled={rows.length === 1} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                          <Trash2 aria-hidden />
                        </Button>
                      </div>
                      {rowError && (
                        <p className="text-xs text-destructive">
                          {r.name.trim()} {rowError}
                        </p>
                      )}
                    </div>
                  );
                })}
                {headerError && <p className="text-xs text-destructive">{headerError}</p>}
                {rows.length < 10 && (
                  <Button size="sm" variant="ghost" type="button" className="w-fit" onClick={() => setRows([...rows, { name: "", value: "" }])}>
                    <Plus aria-hidden /> Add a header
                  </Button>
                )}
              </div>
            ) : (
              <div className="grid gap-2">
                <Field label="Authorization server issuer" hint="The secret is sent to this authorization server only." error={errors.issuer}>
                  {(c) => <Input {...c} placeholder="https://auth.example.com" value={oauth.issuer} onChange={(e) => setOauth({ ...oauth, issuer: e.target.value })} />}
                </Field>
                <Field label="Client ID" error={errors.clientId}>
                  {(c) => <Input {...c} value={oauth.clientId} onChange={(e) => setOauth({ ...oauth, clientId: e.target.value })} />}
                </Field>
                <Field label="Client secret" error={errors.clientSecret}>
                  {(c) => <Input {...c} type="password" autoComplete="off" value={oauth.clientSecret} onChange={(e) => setOauth({ ...oauth, clientSecret: e.target.value })} />}
                </Field>
                <Field label="Scope (optional)" error={errors.scope}>
                  {(c) => <Input {...c} value={oauth.scope} onChange={(e) => setOauth({ ...oauth, scope: e.target.value })} />}
                </Field>
              </div>
            )}
            <div className="flex gap-2">
              <Button size="sm" type="submit" disabled={set.isPending}>
                Save credentials
              </Button>
              <Button size="sm" variant="ghost" type="button" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            </div>
          </form>
        )}
        <ConfirmDialog
          open={confirming}
          onOpenChange={setConfirming}
          title="Remove the snapshot credentials?"
          description="Snapshots will connect without credentials; a server that needs them will fail its checks."
          confirmLabel="Remove"
          destructive
          pending={remove.isPending}
          onConfirm={() =>
            void remove
              .mutateAsync()
              .then(() => toast.success("Snapshot credentials removed"))
              .catch((err) => toast.error(errorMessage(err)))
              .finally(() => setConfirming(false))
          }
        />
      </CardContent>
    </Card>
  );
}
