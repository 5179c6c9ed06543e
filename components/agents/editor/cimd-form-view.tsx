"use client";

import { KeyRound } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { AgentKind, CimdDocument, CimdIssue } from "@/lib/client/agents";
import { AUTH_METHODS, GRANT_TYPES, URL_FIELDS, issueAt, issuesUnder, listAt, pointerOf, stringAt, withGrant, withMember } from "./cimd-fields";
import { DocField } from "./doc-field";
import { StringList } from "./string-list";

/**
 * The document as a form: each control reads its member from the document and writes it back, so
 * the form and the JSON view never disagree. Errors sit next to their field once it has a value
 * (or once a submit was tried); the full list is under the editor either way.
 */
export function CimdFormView({
  doc,
  onChange,
  issues,
  showAll,
  kind,
  clientId,
}: {
  doc: CimdDocument;
  onChange: (doc: CimdDocument) => void;
  issues: readonly CimdIssue[];
  /** Show errors next to empty fields too (after a submit was tried). */
  showAll: boolean;
  kind: AgentKind;
  clientId: string;
}) {
  const set = (key: string, value: unknown) => onChange(withMember(doc, key, value));
  const errorAt = (pointer: string, value: string | string[]) => {
    const filled = Array.isArray(value) ? value.length > 0 : value.trim() !== "";
    return filled || showAll ? issueAt(issues, pointer) : undefined;
  };
  const grants = listAt(doc, "grant_types");
  const redirects = listAt(doc, "redirect_uris");
  const contacts = listAt(doc, "contacts");
  const method = stringAt(doc, "token_endpoint_auth_method");
  const methodOptions = AUTH_METHODS.some((m) => m.value === method) || !method ? AUTH_METHODS : [...AUTH_METHODS, { value: method, label: `${method} (not allowed)` }];
  const hostedJwks = `${clientId}/jwks.json`;
  const jwksKeys = Array.isArray((doc.jwks as { keys?: unknown } | undefined)?.keys) ? ((doc.jwks as { keys: unknown[] }).keys.length) : null;
  const grantError = errorAt("/grant_types", grants) ?? issuesUnder(issues, "/grant_types")[0]?.message ?? errorAt("/response_types", listAt(doc, "response_types"));

  return (
    <div className="@container grid content-start gap-8">
      <section aria-labelledby="cimd-identity" className="grid gap-4">
        <h3 id="cimd-identity" className="text-sm font-semibold">
          Identity
        </h3>
        <div className="grid gap-1.5">
          <span className="text-sm font-medium">client_id</span>
          <code className="rounded-md border bg-muted px-3 py-2 font-mono text-xs break-all">{clientId}</code>
          <p className={issueAt(issues, "/client_id") ? "text-xs text-destructive" : "text-xs text-muted-foreground"}>
            {issueAt(issues, "/client_id") ?? "The URL this document is served at. Filled in for you; it never changes."}
          </p>
        </div>
        <DocField label="Client name" hint="What people see on consent screens, e.g. “Expense assistant”." error={errorAt("/client_name", stringAt(doc, "client_name"))}>
          {(p) => <Input {...p} value={stringAt(doc, "client_name")} onChange={(e) => set("client_name", e.target.value)} autoComplete="off" />}
        </DocField>
      </section>

      <section aria-labelledby="cimd-flows" className="grid gap-4">
        <h3 id="cimd-flows" className="text-sm font-semibold">
          How it signs in
        </h3>
        {(kind === "interactive" || redirects.length > 0) && (
          <StringList
            legend="Redirect URIs"
            hint={
              <>
                Where the authorization server sends people back. https, or http on a loopback address (<code className="font-mono">http://127.0.0.1:8765/cb</code>), or a
                private-use scheme for native apps (<code className="font-mono">com.example.app:/cb</code>).
                {kind === "headless" && " Headless agents have none: remove these."}
              </>
            }
            noun="redirect URI"
            type="url"
            placeholder="https://agent.example.com/oauth/callback"
            values={redirects}
            onChange={(v) => set("redirect_uris", v.length ? v : kind === "interactive" ? [] : undefined)}
            errorOf={(i, v) => (v.trim() || showAll ? issueAt(issues, `/redirect_uris/${i}`) : undefined)}
            listError={redirects.length || showAll ? issueAt(issues, "/redirect_uris") : undefined}
          />
        )}
        <fieldset className="grid gap-2">
          <legend className="mb-1.5 text-sm font-medium">Grant types</legend>
          <div className="grid gap-2 @xl:grid-cols-2">
            {GRANT_TYPES.map((g) => (
              <label key={g.value} className="flex cursor-pointer items-start gap-2.5 rounded-md border p-2.5 text-sm has-[:checked]:border-primary/50 has-[:checked]:bg-accent/40">
                <input
                  type="checkbox"
                  checked={grants.includes(g.value)}
                  onChange={(e) => onChange(withGrant(doc, g.value, e.target.checked))}
                  className="mt-0.5 size-4 cursor-pointer rounded border-input accent-primary"
                />
                <span className="grid gap-0.5">
                  <span className="font-medium">{g.label}</span>
                  <span className="text-xs text-muted-foreground">{g.hint}</span>
                </span>
              </label>
            ))}
          </div>
          {grants.filter((g) => !GRANT_TYPES.some((k) => k.value === g)).map((g) => (
            <p key={g} className="text-xs text-muted-foreground">
              Also listed: <code className="font-mono">{g}</code> (edit it in the JSON view).
            </p>
          ))}
          {grantError && <p className="text-xs text-destructive">{grantError}</p>}
        </fieldset>
        <div className="grid items-start gap-4 @xl:grid-cols-2">
          <DocField label="Token endpoint authentication" hint="Shared secrets are never allowed." error={errorAt("/token_endpoint_auth_method", method)}>
            {(p) => (
              <Select
                {...p}
                value={method || undefined}
                placeholder="Choose a method"
                onValueChange={(v) => set("token_endpoint_auth_method", v)}
                options={methodOptions}
              />
            )}
          </DocField>
          <DocField label="Scope" hint="Optional. Space-separated scopes it asks for." error={errorAt("/scope", stringAt(doc, "scope"))}>
            {(p) => <Input {...p} value={stringAt(doc, "scope")} onChange={(e) => set("scope", e.target.value)} placeholder="openid mcp:tools" spellCheck={false} autoComplete="off" className="font-mono" />}
          </DocField>
        </div>
      </section>

      <section aria-labelledby="cimd-keys" className="grid gap-4">
        <h3 id="cimd-keys" className="text-sm font-semibold">
          Keys
        </h3>
        <DocField
          label="JWKS URI"
          hint={
            method === "private_key_jwt"
              ? "private_key_jwt needs a key set: this URL, or keys in the document (add them on the agent's Keys page)."
              : "Optional. Where the agent's public keys are published (https)."
          }
          error={errorAt("/jwks_uri", stringAt(doc, "jwks_uri"))}
        >
          {(p) => (
            <div className="flex flex-col gap-2 @lg:flex-row">
              <Input {...p} type="url" value={stringAt(doc, "jwks_uri")} onChange={(e) => set("jwks_uri", e.target.value)} placeholder={hostedJwks} spellCheck={false} autoComplete="off" className="font-mono text-xs" />
              {stringAt(doc, "jwks_uri") !== hostedJwks && doc.jwks === undefined && (
                <Button variant="secondary" onClick={() => set("jwks_uri", hostedJwks)}>
                  <KeyRound aria-hidden />
                  Use the hosted key set
                </Button>
              )}
            </div>
          )}
        </DocField>
        {jwksKeys !== null && (
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone="info">jwks</Badge>
            {jwksKeys} public key{jwksKeys === 1 ? "" : "s"} in the document. Keys are added and retired on the agent&apos;s Keys page (or in the JSON view).
          </p>
        )}
        {[...issues.filter((i) => pointerOf(i.field) === "/jwks"), ...issuesUnder(issues, "/jwks")].slice(0, 3).map((i, n) => (
          <p key={n} className="text-xs text-destructive">
            <code className="font-mono">{pointerOf(i.field)}</code> {i.message}
          </p>
        ))}
      </section>

      <section aria-labelledby="cimd-about" className="grid gap-4">
        <h3 id="cimd-about" className="text-sm font-semibold">
          About the agent
        </h3>
        <div className="grid items-start gap-4 @xl:grid-cols-2">
          {URL_FIELDS.map((f) => (
            <DocField key={f.key} label={f.label} hint={"hint" in f ? f.hint : "Optional, https."} error={errorAt(`/${f.key}`, stringAt(doc, f.key))}>
              {(p) => <Input {...p} type="url" value={stringAt(doc, f.key)} onChange={(e) => set(f.key, e.target.value)} placeholder="https://" spellCheck={false} autoComplete="off" />}
            </DocField>
          ))}
        </div>
        <StringList
          legend="Contacts"
          hint="Optional. Who to reach about this agent (e-mail addresses)."
          noun="contact"
          type="email"
          placeholder="agents-team@example.com"
          values={contacts}
          onChange={(v) => set("contacts", v.length ? v : undefined)}
          errorOf={(i, v) => (v.trim() || showAll ? issueAt(issues, `/contacts/${i}`) : undefined)}
          listError={issueAt(issues, "/contacts")}
        />
      </section>
    </div>
  );
}
