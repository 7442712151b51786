// Cloud Tasks queue presets by name, without zod, so CloudTasksQueue's published types stay
// zod-free. An `as const` object and a union of its values under one name: Pulumi's component
// analyzer turns it into a schema enum; TypeScript callers keep writing the plain string.

/** Presets a queue can start from (see `queuePresets` for what each sets). */
export const QueuePreset = {
  /** One task in flight, 1 dispatch/s, 10 attempts, backoff 10 s–10 min. */
  RateLimitedApi: "rate-limited-api",
} as const;

/** A preset's name, e.g. `"rate-limited-api"`. */
export type QueuePreset = (typeof QueuePreset)[keyof typeof QueuePreset];
