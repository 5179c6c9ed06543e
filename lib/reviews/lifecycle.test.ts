import { describe, expect, it } from "vitest";
import { assertTransition, canTransition, isServed, isTransitionRefused, SUBJECT_STATES, TransitionRefused, type SubjectState } from "@/lib/reviews/lifecycle";

// DESIGN.md (The one lifecycle): draft -> pending_review -> approved | rejected;
// approved <-> deprecated; any -> revoked (terminal).
const ALLOWED: [SubjectState, SubjectState][] = [
  ["draft", "pending_review"],
  ["pending_review", "approved"],
  ["pending_review", "rejected"],
  ["approved", "deprecated"],
  ["deprecated", "approved"],
  ["draft", "revoked"],
  ["pending_review", "revoked"],
  ["approved", "revoked"],
  ["rejected", "revoked"],
  ["deprecated", "revoked"],
];

describe("subject lifecycle", () => {
  it("has the six states of DESIGN.md", () => {
    expect([...SUBJECT_STATES].sort()).toEqual(["approved", "deprecated", "draft", "pending_review", "rejected", "revoked"]);
  });

  const all = SUBJECT_STATES.flatMap((from) => SUBJECT_STATES.map((to) => [from, to] as const));
  it.each(all)("%s -> %s", (from, to) => {
    const allowed = ALLOWED.some(([f, t]) => f === from && t === to);
    expect(canTransition(from, to)).toBe(allowed);
  });

  it("serves only approved and deprecated subjects", () => {
    expect(SUBJECT_STATES.filter(isServed).sort()).toEqual(["approved", "deprecated"]);
  });
});

describe("assertTransition", () => {
  it("passes an allowed move and refuses the rest with a TransitionRefused naming both states", () => {
    expect(() => assertTransition("draft", "pending_review")).not.toThrow();
    expect(() => assertTransition("revoked", "approved", "Server acme 1.2.0")).toThrow(new TransitionRefused("revoked", "approved", "Server acme 1.2.0"));
    try {
      assertTransition("rejected", "approved");
    } catch (err) {
      expect(isTransitionRefused(err)).toBe(true);
      expect(err).toMatchObject({ from: "rejected", to: "approved", message: "The subject cannot go from rejected to approved" });
    }
    expect(isTransitionRefused(new Error("cannot go"))).toBe(false);
  });
});
