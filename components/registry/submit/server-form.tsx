"use client";

import { useRef, useState } from "react";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { emptyPackage, emptyRemote, repositorySourceFor, type ServerForm } from "@/lib/registry/build-server-json";
import type { Issue } from "@/lib/registry/server-json";
import type { ErrorAt } from "./key-value-rows";
import { PackageRow, RemoteRow } from "./package-rows";

/**
 * "Build with a form": the common members of a server.json. Errors the validator reports are
 * shown next to a field once it has a value (an empty required field is in the list below).
 */
export function ServerFormFields({ form, onChange, issues }: { form: ServerForm; onChange: (form: ServerForm) => void; issues: Issue[] }) {
  const errorAt: ErrorAt = (pointer, value) => (value.trim() ? issues.find((i) => i.pointer === pointer)?.message : undefined);
  const set = (patch: Partial<ServerForm>) => onChange({ ...form, ...patch });
  const [focusId, setFocusId] = useState<string | null>(null);
  // After a row is removed, the focus goes to its section's add button rather than to <body>.
  const addPackage = useRef<HTMLButtonElement>(null);
  const addRemote = useRef<HTMLButtonElement>(null);
  const guessedSource = repositorySourceFor(form.repositoryUrl);

  return (
    <div className="@container grid content-start gap-8">
      <section aria-labelledby="submit-about" className="grid gap-4">
        <h3 id="submit-about" className="text-sm font-semibold">
          About the server
        </h3>
        <Field
          label="Name"
          error={errorAt("/name", form.name)}
          hint={
            <>
              A reverse-DNS namespace, a slash and the server&apos;s own name, e.g.{" "}
              <code className="font-mono text-foreground">io.github.acme/weather</code>. The namespace says who publishes it.
            </>
          }
        >
          {(p) => (
            <Input {...p} value={form.name} onChange={(e) => set({ name: e.target.value })} placeholder="io.github.acme/weather" spellCheck={false} autoComplete="off" className="font-mono" />
          )}
        </Field>
        <div className="grid items-start gap-4 @lg:grid-cols-2">
          <Field label="Title" hint="Optional. A display name, e.g. Weather." error={errorAt("/title", form.title)}>
            {(p) => <Input {...p} value={form.title} onChange={(e) => set({ title: e.target.value })} autoComplete="off" />}
          </Field>
          <Field label="Version" hint="The version you are submitting, e.g. 1.0.2 (a specific version, not a range)." error={errorAt("/version", form.version)}>
            {(p) => <Input {...p} value={form.version} onChange={(e) => set({ version: e.target.value })} placeholder="1.0.0" spellCheck={false} autoComplete="off" className="font-mono" />}
          </Field>
        </div>
        <Field label="Description" hint="What the server does, in at most 100 characters." error={errorAt("/description", form.description)}>
          {(p) => <Textarea {...p} value={form.description} onChange={(e) => set({ description: e.target.value })} rows={2} maxLength={300} className="min-h-16" />}
        </Field>
        <Field label="Website URL" hint="Optional. Documentation or a home page." error={errorAt("/websiteUrl", form.websiteUrl)}>
          {(p) => <Input {...p} type="url" value={form.websiteUrl} onChange={(e) => set({ websiteUrl: e.target.value })} placeholder="https://acme.example/weather" spellCheck={false} autoComplete="off" />}
        </Field>
        <div className="grid items-start gap-4 @lg:grid-cols-[minmax(0,1fr)_minmax(0,12rem)]">
          <Field label="Repository URL" hint="Optional. Where reviewers can read the source." error={errorAt("/repository/url", form.repositoryUrl)}>
            {(p) => (
              <Input {...p} type="url" value={form.repositoryUrl} onChange={(e) => set({ repositoryUrl: e.target.value })} placeholder="https://github.com/acme/weather-mcp" spellCheck={false} autoComplete="off" />
            )}
          </Field>
          <Field label="Repository host" hint={guessedSource ? `Blank: "${guessedSource}", from the URL.` : "e.g. github; blank guesses it from the URL."} error={errorAt("/repository/source", form.repositorySource)}>
            {(p) => (
              <Input {...p} value={form.repositorySource} onChange={(e) => set({ repositorySource: e.target.value })} placeholder={guessedSource || "github"} spellCheck={false} autoComplete="off" disabled={!form.repositoryUrl.trim()} />
            )}
          </Field>
        </div>
      </section>

      <section aria-labelledby="submit-packages" className="grid gap-4">
        <div className="grid gap-1">
          <h3 id="submit-packages" className="text-sm font-semibold">
            Packages
          </h3>
          <p className="text-xs text-muted-foreground">What a client installs and runs locally. A server has packages, remotes or both.</p>
        </div>
        {form.packages.map((pkg, i) => (
          <PackageRow
            key={pkg.id}
            pkg={pkg}
            index={i}
            autoFocus={focusId === pkg.id}
            errorAt={errorAt}
            onChange={(next) => set({ packages: form.packages.map((p) => (p.id === pkg.id ? next : p)) })}
            onRemove={() => {
              set({ packages: form.packages.filter((p) => p.id !== pkg.id) });
              addPackage.current?.focus();
            }}
          />
        ))}
        <div>
          <Button
            ref={addPackage}
            variant="secondary"
            size="sm"
            onClick={() => {
              const pkg = emptyPackage();
              setFocusId(pkg.id);
              set({ packages: [...form.packages, pkg] });
            }}
          >
            <Plus aria-hidden />
            Add package
          </Button>
        </div>
      </section>

      <section aria-labelledby="submit-remotes" className="grid gap-4">
        <div className="grid gap-1">
          <h3 id="submit-remotes" className="text-sm font-semibold">
            Remotes
          </h3>
          <p className="text-xs text-muted-foreground">Servers already running somewhere that a client connects to over HTTP.</p>
        </div>
        {form.remotes.map((remote, i) => (
          <RemoteRow
            key={remote.id}
            remote={remote}
            index={i}
            autoFocus={focusId === remote.id}
            errorAt={errorAt}
            onChange={(next) => set({ remotes: form.remotes.map((r) => (r.id === remote.id ? next : r)) })}
            onRemove={() => {
              set({ remotes: form.remotes.filter((r) => r.id !== remote.id) });
              addRemote.current?.focus();
            }}
          />
        ))}
        <div>
          <Button
            ref={addRemote}
            variant="secondary"
            size="sm"
            onClick={() => {
              const remote = emptyRemote();
              setFocusId(remote.id);
              set({ remotes: [...form.remotes, remote] });
            }}
          >
            <Plus aria-hidden />
            Add remote
          </Button>
        </div>
      </section>
    </div>
  );
}
