import type { PolicyDocument } from "@/lib/client/policies";

// What a proposed policy version changes against the active one, member by member, for the
// review page's "in words" diff (the JSON diff sits below it).

export type PolicyChange =
  | { kind: "set"; label: string; added: string[]; removed: string[] }
  | { kind: "value"; label: string; from: string; to: string };

const setChange = (label: string, before: readonly string[], after: readonly string[]): PolicyChange | null => {
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  return added.length || removed.length ? { kind: "set", label, added, removed } : null;
};

const valueChange = (label: string, before: unknown, after: unknown, show: (v: unknown) => string = (v) => (v === null || v === undefined || v === "" ? "none" : String(v))): PolicyChange | null =>
  show(before) === show(after) ? null : { kind: "value", label, from: show(before), to: show(after) };

const seconds = (v: unknown) => (typeof v === "number" ? `${v} s` : "none");

export function policyChanges(before: PolicyDocument, after: PolicyDocument): PolicyChange[] {
  const b = before;
  const a = after;
  return [
    valueChange("Name", b.name, a.name),
    valueChange("Description", b.description ?? "", a.description ?? ""),
    valueChange("Effect", b.effect, a.effect),
    setChange("Agents", b.agents, a.agents),
    setChange("Groups", b.subjects.include.groups, a.subjects.include.groups),
    setChange("Users", b.subjects.include.users, a.subjects.include.users),
    setChange("Excluded groups", b.subjects.exclude.groups, a.subjects.exclude.groups),
    setChange("Excluded users", b.subjects.exclude.users, a.subjects.exclude.users),
    valueChange("Server", b.target.server, a.target.server),
    valueChange("Audience", b.target.audience, a.target.audience),
    valueChange("Resource", b.target.resource, a.target.resource),
    setChange("Scopes", b.scopes, a.scopes),
    valueChange("Valid from", b.conditions.validFrom, a.conditions.validFrom),
    valueChange("Valid until", b.conditions.validUntil, a.conditions.validUntil),
    setChange("Environments", b.conditions.environments, a.conditions.environments),
    valueChange("Max token lifetime", b.conditions.maxTokenLifetimeSeconds, a.conditions.maxTokenLifetimeSeconds, seconds),
    setChange("Step-up scopes", b.conditions.stepUp.scopes, a.conditions.stepUp.scopes),
    valueChange("Step-up acr", b.conditions.stepUp.acr, a.conditions.stepUp.acr),
    valueChange("Step-up max age", b.conditions.stepUp.maxAgeSeconds, a.conditions.stepUp.maxAgeSeconds, seconds),
  ].filter((c): c is PolicyChange => c !== null);
}

/** Whether a change widens what the policy allows (more agents, people, scopes, time), for emphasis. */
export function widens(c: PolicyChange, effect: "allow" | "deny"): boolean {
  if (effect !== "allow") return false;
  if (c.kind === "value") {
    const n = (v: string) => (v === "none" ? Infinity : Number.parseFloat(v));
    // Longer-lived tokens, an older sign-in accepted, or no acr asked for any more.
    if (c.label === "Max token lifetime" || c.label === "Step-up max age") return n(c.to) > n(c.from);
    if (c.label === "Step-up acr") return c.to === "none";
    if (c.label === "Valid until") return c.to === "none" || (c.from !== "none" && Date.parse(c.to) > Date.parse(c.from));
    if (c.label === "Valid from") return c.to === "none" || (c.from !== "none" && Date.parse(c.to) < Date.parse(c.from));
    return false;
  }
  if (["Agents", "Groups", "Users", "Scopes"].includes(c.label)) return c.added.length > 0;
  if (["Excluded groups", "Excluded users", "Step-up scopes", "Environments"].includes(c.label)) return c.removed.length > 0;
  return false;
}
