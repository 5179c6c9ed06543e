"use client";

import { Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import {
  FORM_PACKAGE_TRANSPORTS,
  FORM_REGISTRY_TYPES,
  FORM_REMOTE_TRANSPORTS,
  type FormPackageTransport,
  type FormRegistryType,
  type FormRemoteTransport,
  type PackageForm,
  type RemoteForm,
} from "@/lib/registry/build-server-json";
import { KeyValueRows, type ErrorAt } from "./key-value-rows";

// One package or remote of the form, as a bordered group with its own remove button.

const REGISTRY_OPTIONS = FORM_REGISTRY_TYPES.map((v) => ({ value: v, label: v }));
const PACKAGE_TRANSPORT_OPTIONS = FORM_PACKAGE_TRANSPORTS.map((v) => ({ value: v, label: v }));
const REMOTE_TRANSPORT_OPTIONS = FORM_REMOTE_TRANSPORTS.map((v) => ({ value: v, label: v }));

const IDENTIFIER_HINT: Record<FormRegistryType, string> = {
  npm: "The npm package name, e.g. @acme/weather-mcp",
  pypi: "The PyPI project name, e.g. acme-weather-mcp",
  oci: "The image reference, e.g. ghcr.io/acme/weather-mcp",
  nuget: "The NuGet package ID, e.g. Acme.WeatherMcp",
  mcpb: "The URL the .mcpb bundle downloads from",
};

function RowFrame({ title, onRemove, removeLabel, children }: { title: string; onRemove: () => void; removeLabel: string; children: React.ReactNode }) {
  return (
    <div role="group" aria-label={title} className="@container grid gap-4 rounded-xl border bg-card p-4">
      <div className="flex items-center justify-between gap-2">
        <p className="text-sm font-medium">{title}</p>
        <Button variant="ghost" size="sm" onClick={onRemove} aria-label={removeLabel} className="text-muted-foreground hover:text-destructive">
          <Trash2 aria-hidden />
          Remove
        </Button>
      </div>
      {children}
    </div>
  );
}

export function PackageRow({
  pkg,
  index,
  autoFocus,
  errorAt,
  onChange,
  onRemove,
}: {
  pkg: PackageForm;
  index: number;
  autoFocus: boolean;
  errorAt: ErrorAt;
  onChange: (pkg: PackageForm) => void;
  onRemove: () => void;
}) {
  const at = `/packages/${index}`;
  const owner = `package ${index + 1}`;
  const set = (patch: Partial<PackageForm>) => onChange({ ...pkg, ...patch });
  const http = pkg.transportType !== "stdio";
  return (
    <RowFrame title={`Package ${index + 1}`} onRemove={onRemove} removeLabel={`Remove package ${index + 1}${pkg.identifier ? ` (${pkg.identifier})` : ""}`}>
      <div className="grid items-start gap-4 @md:grid-cols-[minmax(0,8rem)_minmax(0,1fr)] @2xl:grid-cols-[minmax(0,8rem)_minmax(0,1fr)_minmax(0,9rem)]">
        <Field label="Registry">
          {(p) => <Select {...p} value={pkg.registryType} onValueChange={(v) => set({ registryType: v as FormRegistryType })} options={REGISTRY_OPTIONS} />}
        </Field>
        <Field label="Identifier" hint={IDENTIFIER_HINT[pkg.registryType]} error={errorAt(`${at}/identifier`, pkg.identifier)}>
          {(p) => <Input {...p} value={pkg.identifier} onChange={(e) => set({ identifier: e.target.value })} spellCheck={false} autoComplete="off" className="font-mono" autoFocus={autoFocus} />}
        </Field>
        <Field label="Package version" hint="Optional." error={errorAt(`${at}/version`, pkg.version)}>
          {(p) => <Input {...p} value={pkg.version} onChange={(e) => set({ version: e.target.value })} placeholder="1.0.0" spellCheck={false} autoComplete="off" className="font-mono" />}
        </Field>
      </div>
      <div className="grid items-start gap-4 @md:grid-cols-[minmax(0,11.5rem)_minmax(0,1fr)]">
        <Field label="Transport">
          {(p) => <Select {...p} value={pkg.transportType} onValueChange={(v) => set({ transportType: v as FormPackageTransport })} options={PACKAGE_TRANSPORT_OPTIONS} />}
        </Field>
        {http && (
          <Field label="Transport URL" hint="Where the running package listens, e.g. http://localhost:8080/mcp" error={errorAt(`${at}/transport/url`, pkg.transportUrl)}>
            {(p) => <Input {...p} type="url" value={pkg.transportUrl} onChange={(e) => set({ transportUrl: e.target.value })} placeholder="http://localhost:8080/mcp" spellCheck={false} autoComplete="off" />}
          </Field>
        )}
      </div>
      <KeyValueRows
        rows={pkg.environmentVariables}
        onChange={(environmentVariables) => set({ environmentVariables })}
        noun="environment variable"
        title="Environment variables"
        owner={owner}
        namePlaceholder="WEATHER_API_KEY"
        pointer={`${at}/environmentVariables`}
        errorAt={errorAt}
      />
    </RowFrame>
  );
}

export function RemoteRow({
  remote,
  index,
  autoFocus,
  errorAt,
  onChange,
  onRemove,
}: {
  remote: RemoteForm;
  index: number;
  autoFocus: boolean;
  errorAt: ErrorAt;
  onChange: (remote: RemoteForm) => void;
  onRemove: () => void;
}) {
  const at = `/remotes/${index}`;
  const set = (patch: Partial<RemoteForm>) => onChange({ ...remote, ...patch });
  return (
    <RowFrame title={`Remote ${index + 1}`} onRemove={onRemove} removeLabel={`Remove remote ${index + 1}${remote.url ? ` (${remote.url})` : ""}`}>
      <div className="grid items-start gap-4 @md:grid-cols-[minmax(0,11.5rem)_minmax(0,1fr)]">
        <Field label="Transport">
          {(p) => <Select {...p} value={remote.type} onValueChange={(v) => set({ type: v as FormRemoteTransport })} options={REMOTE_TRANSPORT_OPTIONS} />}
        </Field>
        <Field label="URL" hint="e.g. https://mcp.acme.example/weather" error={errorAt(`${at}/url`, remote.url)}>
          {(p) => <Input {...p} type="url" value={remote.url} onChange={(e) => set({ url: e.target.value })} placeholder="https://mcp.acme.example/weather" spellCheck={false} autoComplete="off" autoFocus={autoFocus} />}
        </Field>
      </div>
      <KeyValueRows
        rows={remote.headers}
        onChange={(headers) => set({ headers })}
        noun="header"
        title="Headers"
        owner={`remote ${index + 1}`}
        namePlaceholder="Authorization"
        pointer={`${at}/headers`}
        errorAt={errorAt}
      />
    </RowFrame>
  );
}
