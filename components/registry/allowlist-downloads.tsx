"use client";

import { Download } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { MANAGED_SETTINGS_PATH } from "@/lib/registry/allowlists";

/**
 * Client allowlists from the approved catalog: the managed-settings.json download and its stable
 * URL (Claude Code, GitHub Copilot), and the registry URL VS Code / Copilot's "MCP registry URL"
 * policy takes. `publicBaseUrl` is PUBLIC_BASE_URL (what clients reach), passed by the page.
 */
export function AllowlistDownloads({ publicBaseUrl, privateRegistry = false }: { publicBaseUrl: string; privateRegistry?: boolean }) {
  const base = publicBaseUrl.replace(/\/+$/, "");
  const fileUrl = `${base}${MANAGED_SETTINGS_PATH}`;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Client allowlists</CardTitle>
        <CardDescription>Let MCP clients run only what has been approved here. Both follow every approval and revocation.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        <div className="grid gap-3">
          <div>
            <Button asChild variant="secondary">
              <a href={`${MANAGED_SETTINGS_PATH}?download=1`} download="managed-settings.json">
                <Download aria-hidden />
                Download managed-settings.json
              </a>
            </Button>
          </div>
          <UrlField
            label="Stable URL of the file"
            value={fileUrl}
            hint={
              <>
                <code className="font-mono">allowedMcpServers</code> / <code className="font-mono">deniedMcpServers</code> for Claude Code managed settings and
                GitHub Copilot&apos;s enterprise managed-settings.json. Have your fleet tooling fetch it on a schedule.
              </>
            }
          />
        </div>
        <UrlField
          label="VS Code registry URL"
          value={base}
          hint={
            <>
              Set it as <code className="font-mono">chat.mcp.gallery.serviceUrl</code> (VS Code policy McpGalleryServiceUrl) or GitHub&apos;s &quot;MCP registry
              URL&quot; Copilot policy. The client adds <code className="font-mono">/v0.1/servers</code> itself, so only approved servers appear in its gallery.
            </>
          }
        />
        {privateRegistry && (
          <p className="text-xs text-muted-foreground">
            This registry is private: machines need a Portcullis API token with <code className="font-mono">registry.read</code> (a service account&apos;s)
            sent as a Bearer token.
          </p>
        )}
      </CardContent>
    </Card>
  );
}

function UrlField({ label, value, hint }: { label: string; value: string; hint: React.ReactNode }) {
  return (
    <Field label={label} hint={hint}>
      {(control) => (
        <div className="flex gap-2">
          <input
            {...control}
            readOnly
            value={value}
            onFocus={(e) => e.currentTarget.select()}
            spellCheck={false}
            className="h-9 min-w-0 flex-1 rounded-md border border-input bg-muted px-3 font-mono text-xs text-foreground"
          />
          <CopyButton value={value} className="h-9" aria-label={`Copy ${label}`} />
        </div>
      )}
    </Field>
  );
}
