"use client";

import { Fragment } from "react";
import { formatDate } from "@/lib/client/format";
import { EVERYONE } from "@/lib/xaa/schema";
import type { PolicyDocument } from "@/lib/client/policies";
import { useAgentNames } from "./agent-names";

// A policy read out as one sentence: "Allow <agents> acting for <groups/users> (except …) to get
// <scopes> at <server> (audience …, resource …), valid …, production only, ID-JAG ≤ 300 s,
// step-up …". Every value is React text; nothing is parsed as markup.

type Doc = Pick<PolicyDocument, "effect" | "agents" | "subjects" | "target" | "scopes" | "conditions">;

/** "a, b and c"; past `max` items "a, b and 3 more". */
export function joinList(items: readonly React.ReactNode[], max = 4, conj = "and"): React.ReactNode {
  const shown = items.length > max ? items.slice(0, max - 1) : items;
  const rest = items.length - shown.length;
  const parts: React.ReactNode[] = [...shown];
  if (rest > 0) parts.push(`${rest} more`);
  return parts.map((p, i) => (
    <Fragment key={i}>
      {i > 0 && (i === parts.length - 1 ? ` ${conj} ` : ", ")}
      {p}
    </Fragment>
  ));
}

const Term = ({ children, mono }: { children: React.ReactNode; mono?: boolean }) => (
  <strong className={mono ? "font-mono text-[0.92em] font-medium break-all" : "font-medium"}>{children}</strong>
);

function who(groups: readonly string[], users: readonly string[]): React.ReactNode {
  const everyone = groups.includes(EVERYONE);
  const named = groups.filter((g) => g !== EVERYONE);
  const parts: React.ReactNode[] = [];
  if (everyone) parts.push(<Term key="*">everyone</Term>);
  else if (named.length) parts.push(<Fragment key="g">members of {joinList(named.map((g) => <Term key={g} mono>{g}</Term>), 4, "or")}</Fragment>);
  if (users.length) parts.push(<Fragment key="u">{joinList(users.map((u) => <Term key={u} mono>{u}</Term>), 3, "or")}</Fragment>);
  return parts.length ? joinList(parts, 2, "or") : <Term>nobody</Term>;
}

function validity(from: string | null, until: string | null): string {
  if (from && until) return `valid from ${formatDate(from)} until ${formatDate(until)}`;
  if (from) return `valid from ${formatDate(from)}`;
  if (until) return `valid until ${formatDate(until)}`;
  return "valid at any time";
}

/** The policy as a sentence. `short` leaves out the target's audience and resource. */
export function PolicySentence({ doc, short, className }: { doc: Doc; short?: boolean; className?: string }) {
  const nameOf = useAgentNames(doc.agents);
  const { include, exclude } = doc.subjects;
  const c = doc.conditions;
  const excluded = exclude.groups.length + exclude.users.length > 0;
  const stepUp = c.stepUp;
  return (
    <p className={className} data-testid="policy-sentence">
      <Term>{doc.effect === "allow" ? "Allow" : "Deny"}</Term>{" "}
      {joinList(doc.agents.map((a) => <span key={a} title={a}><Term>{nameOf(a)}</Term></span>), 3)} acting for {who(include.groups, include.users)}
      {excluded && <> (except {who(exclude.groups, exclude.users)})</>} {doc.effect === "allow" ? "to get" : "the scopes"}{" "}
      {doc.scopes.length ? joinList(doc.scopes.map((s) => <Term key={s} mono>{s}</Term>), 6) : <Term>every scope</Term>} at <Term mono>{doc.target.server}</Term>
      {!short && (
        <>
          {" "}
          (audience <Term mono>{doc.target.audience || "not set"}</Term>
          {doc.target.resource && (
            <>
              , resource <Term mono>{doc.target.resource}</Term>
            </>
          )}
          )
        </>
      )}
      , {validity(c.validFrom, c.validUntil)}
      {c.environments.length > 0 && <>, {joinList(c.environments.map((e) => <Term key={e}>{e}</Term>), 3, "or")} only</>}
      {doc.effect === "allow" && (
        <>
          , ID-JAG ≤ <Term>{c.maxTokenLifetimeSeconds} s</Term>
        </>
      )}
      {stepUp.scopes.length > 0 && (
        <>
          , step-up for {joinList(stepUp.scopes.map((s) => <Term key={s} mono>{s}</Term>), 4)}:{" "}
          {[stepUp.acr ? `acr ${stepUp.acr}` : null, stepUp.maxAgeSeconds !== null ? `signed in within ${stepUp.maxAgeSeconds} s` : null].filter(Boolean).join(", ")}
        </>
      )}
      .
    </p>
  );
}
