// The Google APIs as an `as const` object and a union of its values under one name, the shape
// Pulumi's component analyzer turns into a schema enum (so Python and Go get one too), while
// TypeScript callers keep writing the plain strings.

/**
 * The Google APIs taskstack's components call. A fresh project has none of them enabled, and the
 * first resource of each service fails until its API is (Service Usage, "Enabling and disabling
 * services"); each component lists what it needs in its static `requiredApis(args)`.
 */
export const GcpApi = {
  cloudTasks: "cloudtasks.googleapis.com",
  cloudScheduler: "cloudscheduler.googleapis.com",
  pubsub: "pubsub.googleapis.com",
  spanner: "spanner.googleapis.com",
  monitoring: "monitoring.googleapis.com",
  logging: "logging.googleapis.com",
  iam: "iam.googleapis.com",
  cloudResourceManager: "cloudresourcemanager.googleapis.com",
  cloudFunctions: "cloudfunctions.googleapis.com",
  run: "run.googleapis.com",
  cloudBuild: "cloudbuild.googleapis.com",
  artifactRegistry: "artifactregistry.googleapis.com",
  eventarc: "eventarc.googleapis.com",
  storage: "storage.googleapis.com",
} as const;

/** One of the Google APIs in `GcpApi` (the object's values), e.g. `"pubsub.googleapis.com"`. */
export type GcpApi = (typeof GcpApi)[keyof typeof GcpApi];

/** The same table as `GcpApi`, under the name taskstack 0.1 exported it by. */
export const gcpApis = GcpApi;
