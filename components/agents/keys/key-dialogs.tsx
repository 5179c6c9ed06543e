"use client";

import Link from "next/link";
import { useState } from "react";
import { KeyRound } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { parseJsonText } from "@/components/registry/submit/parse-json";
import { ApiClientError, errorMessage } from "@/lib/client/api";
import { useAddKeyMutation, type KeyChange, type KeyPlacement } from "@/lib/client/agents";
import { PrivateKeyReveal } from "./private-key-reveal";

const ALGS = [
  { value: "ES256", label: "ES256 (ECDSA P-256)", description: "Small and fast; the default." },
  { value: "RS256", label: "RS256 (RSA 2048)", description: "For authorization servers without EC support." },
];

export const PLACEMENTS = [
  { value: "jwks", label: "In the document (jwks)", description: "The keys travel inside the served document." },
  { value: "jwks_uri", label: "Hosted key set (jwks_uri)", description: "Served at <client_id>/jwks.json; the document points there." },
];

interface Common {
  agentId: string;
  slug: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  placement: KeyPlacement;
}

/** Generate a key pair: the private key is shown here once, and never stored. */
export function GenerateKeyDialog({ agentId, slug, open, onOpenChange, placement }: Common) {
  const add = useAddKeyMutation(agentId);
  const [alg, setAlg] = useState<"ES256" | "RS256">("ES256");
  const [where, setWhere] = useState<KeyPlacement>(placement);
  const [made, setMade] = useState<KeyChange | null>(null);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    onOpenChange(false);
    setMade(null);
    setError(null);
    add.reset();
  };
  return (
    <Dialog open={open} onOpenChange={(next) => (next ? onOpenChange(true) : !made && close())}>
      <DialogContent
        className="max-w-2xl"
        hideClose={!!made}
        // Once the private key is on screen, only the button closes the dialog: no stray click loses it.
        onPointerDownOutside={(e) => made && e.preventDefault()}
        onEscapeKeyDown={(e) => made && e.preventDefault()}
      >
        {made?.privateKey ? (
          <PrivateKeyReveal slug={slug} made={made} onDone={close} />
        ) : (
          <form
            noValidate
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              setError(null);
              add.mutate({ action: "generate", alg, placement: where }, { onSuccess: setMade, onError: (err) => setError(errorMessage(err)) });
            }}
          >
            <DialogHeader>
              <DialogTitle>Generate a key</DialogTitle>
              <DialogDescription>
                Portcullis makes a key pair, adds the public key to the document and sends that change to review. You get the private key once; it is not stored anywhere.
              </DialogDescription>
            </DialogHeader>
            <Field label="Algorithm">{(p) => <Select {...p} value={alg} onValueChange={(v) => setAlg(v as "ES256" | "RS256")} options={ALGS} />}</Field>
            <Field label="Where the public key goes">{(p) => <Select {...p} value={where} onValueChange={(v) => setWhere(v as KeyPlacement)} options={PLACEMENTS} />}</Field>
            {error && <Alert title="No key was made">{error}</Alert>}
            <DialogFooter>
              <Button variant="secondary" onClick={close} disabled={add.isPending}>
                Cancel
              </Button>
              <Button type="submit" disabled={add.isPending}>
                {add.isPending ? <Spinner /> : <KeyRound aria-hidden />}
                Generate key
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

/** Register a public key someone already holds the private half of. */
export function RegisterKeyDialog({ agentId, open, onOpenChange, placement }: Omit<Common, "slug">) {
  const add = useAddKeyMutation(agentId);
  const [text, setText] = useState("");
  const [where, setWhere] = useState<KeyPlacement>(placement);
  const [error, setError] = useState<string | undefined>();
  const [problems, setProblems] = useState<string[]>([]);
  const [done, setDone] = useState<KeyChange | null>(null);
  const close = () => {
    onOpenChange(false);
    setText("");
    setError(undefined);
    setProblems([]);
    setDone(null);
  };
  return (
    <Dialog open={open} onOpenChange={(next) => (next ? onOpenChange(true) : close())}>
      <DialogContent className="max-w-2xl">
        {done ? (
          <div className="grid gap-4">
            <DialogHeader>
              <DialogTitle>Key registered</DialogTitle>
              <DialogDescription>
                <code className="font-mono text-xs text-foreground">{done.key.kid}</code> is in version {done.version.number}, waiting for review.
              </DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <Button asChild variant="secondary">
                <Link href={`/servers/reviews/${encodeURIComponent(done.review.id)}`}>Open the review</Link>
              </Button>
              <Button onClick={close}>Done</Button>
            </DialogFooter>
          </div>
        ) : (
          <form
            noValidate
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              setProblems([]);
              const parsed = parseJsonText(text);
              if (parsed.kind === "empty") return setError("is required: paste the public key as a JWK");
              if (parsed.kind === "syntax") return setError(`is not valid JSON (line ${parsed.error.line}, column ${parsed.error.column}: ${parsed.error.message})`);
              if (!parsed.value || typeof parsed.value !== "object" || Array.isArray(parsed.value)) return setError("must be a JSON object: one JWK, not a key set");
              setError(undefined);
              add.mutate(
                { action: "register", jwk: parsed.value as Record<string, unknown>, placement: where },
                {
                  onSuccess: setDone,
                  onError: (err) => {
                    const details = err instanceof ApiClientError && Array.isArray(err.details) ? (err.details as { field?: string; message?: string }[]) : [];
                    setProblems(details.length ? details.map((d) => `${(d.field ?? "").replace(/^body\./, "")}: ${d.message ?? ""}`) : [errorMessage(err)]);
                  },
                },
              );
            }}
          >
            <DialogHeader>
              <DialogTitle>Register a public key</DialogTitle>
              <DialogDescription>Paste the public JWK of a key pair the agent already holds (EC P-256/384/521, RSA of at least 2048 bits, or Ed25519). The change goes to review.</DialogDescription>
            </DialogHeader>
            <Field label="Public key (JWK)" error={error} hint='e.g. { "kty": "EC", "crv": "P-256", "x": "…", "y": "…", "kid": "…" }. Never the private members (d, p, q…).'>
              {(p) => (
                <Textarea
                  {...p}
                  value={text}
                  onChange={(e) => {
                    setText(e.target.value);
                    setError(undefined);
                  }}
                  rows={8}
                  spellCheck={false}
                  className="font-mono text-xs"
                  autoFocus
                />
              )}
            </Field>
            <Field label="Where the public key goes">{(p) => <Select {...p} value={where} onValueChange={(v) => setWhere(v as KeyPlacement)} options={PLACEMENTS} />}</Field>
            {problems.length > 0 && (
              <Alert title="The key was not registered">
                <ul className="grid gap-1" aria-label="Key problems">
                  {problems.map((m, i) => (
                    <li key={i} className="font-mono text-xs">
                      {m}
                    </li>
                  ))}
                </ul>
              </Alert>
            )}
            <DialogFooter>
              <Button variant="secondary" onClick={close} disabled={add.isPending}>
                Cancel
              </Button>
              <Button type="submit" disabled={add.isPending}>
                {add.isPending && <Spinner />}
                Register key
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
