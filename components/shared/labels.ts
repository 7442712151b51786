/** Labels every GCP resource taskstack declares carries, so owners can find what it manages. */
export const managedByLabels: Readonly<Record<string, string>> = { "managed-by": "taskstack" };

/** GCP label keys: lowercase letter first, then lowercase letters, digits, `_` and `-`, at most 63. */
export const gcpLabelKey = /^[a-z][a-z0-9_-]{0,62}$/;
/** GCP label values: lowercase letters, digits, `_` and `-`, at most 63 (may be empty). */
export const gcpLabelValue = /^[a-z0-9_-]{0,63}$/;
