"use client";

import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Save, Send } from "lucide-react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { clientIdFor, useCreateAgentMutation, type AgentKind, type CimdDocument, type CreateAgentInput } from "@/lib/client/agents";
import { AgentFields, KindRadio, slugFrom, slugProblem, type AgentFieldValues } from "./agent-fields";
import { splitRefusal } from "./api-errors";
import { CimdEditor } from "./editor/cimd-editor";
import { documentText, starterDocument, stringAt, withMember } from "./editor/cimd-fields";
import { useCimdText } from "./editor/use-cimd-text";
import { SubmitBar, checkSummary } from "./submit-bar";

/** Agents > Register: the agent's fields, its slug (and so its client_id), then its first document. */
export function NewAgent({ publicBaseUrl, insecureBase }: { publicBaseUrl: string; insecureBase: boolean }) {
  const router = useRouter();
  const create = useCreateAgentMutation();
  const [slug, setSlug] = useState("");
  const [slugTouched, setSlugTouched] = useState(false);
  const [kind, setKind] = useState<AgentKind>("interactive");
  const [fields, setFields] = useState<AgentFieldValues>({ name: "", environment: "production", purpose: "", ownerTeam: "", servers: [] });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const [pending, setPending] = useState<"draft" | "submit" | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const clientId = clientIdFor(publicBaseUrl, slug || "<slug>");
  // Until the slug is valid the document is checked against a stand-in, so the slug field (not
  // an unparseable client_id) is where the problem shows.
  const checkedClientId = clientIdFor(publicBaseUrl, slugProblem(slug) ? "your-agent" : slug);
  const editor = useCimdText(documentText(starterDocument("interactive")), { clientId: checkedClientId, kind, insecureBase });

  const slugError = errors.slug ?? (slug || tried ? slugProblem(slug) : undefined);
  const nameError = errors.name ?? (tried && !fields.name.trim() ? "is required" : undefined);

  /** The document with its hosted jwks_uri moved along with the slug (when it names the hosted set). */
  function followSlug(doc: CimdDocument, next: string): CimdDocument {
    return doc.jwks_uri === `${clientId}/jwks.json` ? withMember(doc, "jwks_uri", `${clientIdFor(publicBaseUrl, next || "<slug>")}/jwks.json`) : doc;
  }

  function changeSlug(next: string) {
    const doc = editor.check.kind === "checked" ? editor.check.document : null;
    if (doc) {
      const moved = followSlug(doc, next);
      if (moved !== doc) editor.setText(documentText(moved));
    }
    setSlug(next);
  }

  function changeFields(patch: Partial<AgentFieldValues>) {
    setErrors((e) => withoutKey(e, ...Object.keys(patch)));
    if (patch.name !== undefined) {
      // The slug and the document's client_name follow the name until someone sets them.
      const original = editor.check.kind === "checked" ? editor.check.document : null;
      let doc = original;
      if (doc && (stringAt(doc, "client_name") === "" || stringAt(doc, "client_name") === fields.name)) doc = withMember(doc, "client_name", patch.name);
      if (!slugTouched) {
        const next = slugFrom(patch.name);
        if (doc) doc = followSlug(doc, next);
        setSlug(next);
      }
      if (doc && doc !== original) editor.setText(documentText(doc));
    }
    setFields((f) => ({ ...f, ...patch }));
  }

  /** What a new agent of this kind starts from; a headless one points at its hosted key set. */
  const starter = (k: AgentKind) => {
    const doc = starterDocument(k, fields.name);
    return documentText(k === "headless" ? withMember(doc, "jwks_uri", `${clientId}/jwks.json`) : doc);
  };

  function changeKind(next: AgentKind) {
    // An untouched starter document becomes the other kind's starter; an edited one is kept.
    if (editor.text === starter(kind)) editor.setText(starter(next));
    setKind(next);
  }

  function send(draft: boolean) {
    setTried(true);
    setRefusal(null);
    const local: Record<string, string> = {};
    const sp = slugProblem(slug);
    if (sp) local.slug = sp;
    if (!fields.name.trim()) local.name = "is required";
    const check = editor.check;
    const docOk = check.kind === "checked" && (draft || check.result.valid);
    if (Object.keys(local).length || !docOk) {
      setErrors(local);
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      if (!docOk) setRefusal(check.kind === "checked" ? "Fix the document's problems listed under Checks, or save it as a draft." : "The document must be a JSON object before it can be saved.");
      return;
    }
    const input: CreateAgentInput = {
      slug,
      name: fields.name.trim(),
      kind,
      document: check.kind === "checked" ? check.document : undefined,
      environment: fields.environment || undefined,
      purpose: fields.purpose.trim() || undefined,
      ownerTeam: fields.ownerTeam.trim() || undefined,
      servers: fields.servers.length ? fields.servers.map((s) => s.id) : undefined,
      draft: draft || undefined,
    };
    setPending(draft ? "draft" : "submit");
    create.mutate(input, {
      onSuccess: (created) => {
        toast.success(draft ? `${input.name} is registered; its document is saved as a draft` : `${input.name} is registered and its document is in review`);
        router.push(`/agents/${encodeURIComponent(created.id)}`);
      },
      onError: (err) => {
        const split = splitRefusal(err);
        setErrors(split.fields);
        editor.setServerIssues(split.document);
        setRefusal(split.message);
        if (Object.keys(split.fields).length) requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      },
      onSettled: () => setPending(null),
    });
  }

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Register an agent"
        description="Give the agent a slug (its client_id follows from it and never changes), say what it is, and write its Client ID Metadata Document. An approver reviews the document before it is served."
      />
      <form
        ref={form}
        noValidate
        aria-label="Register an agent"
        className="grid gap-6"
        onSubmit={(e) => {
          e.preventDefault();
          send(false);
        }}
      >
        <Card>
          <CardHeader>
            <CardTitle>The agent</CardTitle>
            <CardDescription>Its identity is fixed at registration; the rest can change later.</CardDescription>
          </CardHeader>
          <CardContent>
            <AgentFields value={fields} onChange={changeFields} errors={nameError ? { ...errors, name: nameError } : errors}>
              <Field
                label="Slug"
                error={slugError}
                hint="Lower-case letters, digits and dashes, 3 to 63 characters. Fixed once registered, and never reused."
              >
                {(p) => (
                  <Input
                    {...p}
                    value={slug}
                    onChange={(e) => {
                      changeSlug(e.target.value.trim());
                      setSlugTouched(true);
                      setErrors((e) => withoutKey(e, "slug"));
                    }}
                    maxLength={63}
                    placeholder="expense-assistant"
                    spellCheck={false}
                    autoComplete="off"
                    autoCapitalize="off"
                    className="font-mono"
                  />
                )}
              </Field>
              <div className="grid gap-1.5 rounded-lg border bg-muted/40 p-3">
                <span className="text-xs font-medium text-muted-foreground">client_id</span>
                <div className="flex items-center gap-2">
                  <output aria-label="client_id preview" className="min-w-0 flex-1 font-mono text-sm break-all">
                    {clientIdFor(publicBaseUrl, "")}
                    <span className={slug ? "font-semibold text-foreground" : "text-muted-foreground italic"}>{slug || "<slug>"}</span>
                  </output>
                  {slug && !slugProblem(slug) && <CopyButton value={clientId} label="Copy" aria-label="Copy the client_id" />}
                </div>
              </div>
              <KindRadio value={kind} onChange={changeKind} error={errors.kind} />
            </AgentFields>
          </CardContent>
        </Card>

        <section aria-labelledby="new-agent-document" className="grid gap-3">
          <div className="grid gap-1">
            <h2 id="new-agent-document" className="text-lg font-semibold">
              Client ID Metadata Document
            </h2>
            <p className="text-sm text-muted-foreground">What authorization servers read at the client_id. Checked as you type with the same rules the API applies.</p>
          </div>
          <CimdEditor
            text={editor.text}
            onTextChange={editor.setText}
            check={editor.check}
            clientId={clientId}
            kind={kind}
            insecureBase={insecureBase}
            showAll={tried}
            serverIssues={editor.serverIssues}
          />
        </section>

        {refusal && <Alert title="The agent was not registered">{refusal}</Alert>}

        <SubmitBar summary={checkSummary(editor.check, Object.values({ ...errors, slug: slugError, name: nameError }).filter(Boolean).length)}>
          <Button type="button" variant="secondary" disabled={pending !== null} onClick={() => send(true)}>
            {pending === "draft" ? <Spinner /> : <Save aria-hidden />}
            Save draft
          </Button>
          <Button type="submit" disabled={pending !== null}>
            {pending === "submit" ? <Spinner /> : <Send aria-hidden />}
            Submit for review
          </Button>
        </SubmitBar>
      </form>
    </div>
  );
}

function withoutKey(errors: Record<string, string>, ...keys: string[]): Record<string, string> {
  const next = { ...errors };
  for (const k of keys) delete next[k];
  return next;
}
