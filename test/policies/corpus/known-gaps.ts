// What the pack still gets wrong on the corpus, by mode: each line names the resource and the
// policy that must catch it (a miss) or says it was flagged though good (a false positive).
// Empty: every bad resource is caught in every mode, or, where a preview truly cannot know (a
// bucket policy's JSON built from an ARN that exists only after the update), the policy says
// which resource and which property it could not judge.
export const knownGaps: readonly string[] = [];
