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

/** A subject refused a move its lifecycle does not allow; decisions map it to 409 `conflict`. */
export class TransitionRefused extends Error {
  constructor(
    public readonly from: SubjectState,
    public readonly to: SubjectState,
    subject?: string,
  ) {
    super(`${subject ?? "The subject"} cannot go from ${from} to ${to}`);
    this.name = "TransitionRefused";
  }
}

/** Throws TransitionRefused unless the lifecycle allows `from -> to`. */
export function assertTransition(from: SubjectState, to: SubjectState, subject?: string): void {
  if (!canTransition(from, to)) throw new TransitionRefused(from, to, subject);
}

/** By name as well as class: the class may come from more than one copy of the module (custom
 * server and Next bundle). */
export function isTransitionRefused(err: unknown): err is TransitionRefused {
  return err instanceof TransitionRefused || (err instanceof Error && err.name === "TransitionRefused" && "from" in err && "to" in err);
}
