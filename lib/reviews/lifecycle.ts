// The one lifecycle (DESIGN.md) shared by server versions, agent versions and policy versions.

export const SUBJECT_STATES = ["draft", "pending_review", "approved", "rejected", "deprecated", "revoked"] as const;
export type SubjectState = (typeof SUBJECT_STATES)[number];

const NEXT: Record<SubjectState, readonly SubjectState[]> = {
  draft: ["pending_review", "revoked"],
  pending_review: ["approved", "rejected", "revoked"],
  approved: ["deprecated", "revoked"],
  deprecated: ["approved", "revoked"],
  rejected: ["revoked"],
  revoked: [],
};

export function canTransition(from: SubjectState, to: SubjectState): boolean {
  return NEXT[from].includes(to);
}

/** Only approved and deprecated subjects are served to the outside. */
export function isServed(state: SubjectState): boolean {
  return state === "approved" || state === "deprecated";
}
