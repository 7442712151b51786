// The App Engine importers' options and results, without zod, so their published types stay
// zod-free (app-engine-yaml.ts holds the schemas that check the options).

/** Where an App Engine service (a `target`) runs now. */
export interface AppEngineTarget {
  /** Base URL the entries' `url` paths are appended to, e.g. `https://reports-x-ew.a.run.app`. */
  readonly baseUrl: string;
  /** Cloud Run service behind baseUrl (cron jobs call it with OIDC). @default - none */
  readonly cloudRunService?: string;
  /** Cloud Function behind baseUrl (cron jobs call it with OIDC). @default - none */
  readonly cloudFunction?: string;
  /** Generation of cloudFunction (as in `CloudSchedulerJobArgs`). @default 2 */
  readonly cloudFunctionGeneration?: 1 | 2;
  /**
   * Service account queues dispatch with (OIDC) to this target; the token's audience is
   * baseUrl's origin. @default - none
   */
  readonly invokerServiceAccountEmail?: string;
  /**
   * Seconds a cron job's call to this target may take before Cloud Scheduler counts the attempt
   * failed (15–1800). @default 600 (App Engine gave a cron request 10 minutes; Cloud Scheduler's
   * own default, 180 s, would cut a longer handler short and retry it while it still runs)
   */
  readonly attemptDeadlineSeconds?: number;
}

export interface AppEngineImportOptions {
  /** Region of the jobs and queues. */
  readonly region: string;
  /** Where each App Engine service runs now; `default` serves entries without a `target`. */
  readonly targets: Readonly<Record<string, AppEngineTarget>>;
  /** Names the file in messages. @default "cron.yaml" or "queue.yaml" */
  readonly source?: string;
  /**
   * cron.yaml only: an entry's attempt deadline in seconds (15–1800), by the job's name as the
   * import derives it (its description or url as a slug, shown in the plan); wins over its
   * target's `attemptDeadlineSeconds`. @default {}
   */
  readonly attemptDeadlineSeconds?: Readonly<Record<string, number>>;
}

/** One translated entry: the component name, its args, and what the plan should say about it. */
export interface ImportedEntry<A> {
  readonly name: string;
  readonly args: A;
  readonly notes: readonly string[];
}
