import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { childName } from "../shared/naming";
import { always, expected, gcpProjectId, problem, validateArgs } from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";

/**
 * The Google APIs taskstack's components call. A fresh project has none of them enabled, and the
 * first resource of each service fails until its API is (Service Usage, "Enabling and disabling
 * services"); each component lists what it needs in its static `requiredApis(args)`.
 */
export const gcpApis = {
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

export type GcpApi = (typeof gcpApis)[keyof typeof gcpApis];
const known = Object.values(gcpApis) as [GcpApi, ...GcpApi[]];

export interface ProjectApisArgs {
  /** GCP project the APIs are enabled in. @default - the provider's project (`gcp:project`) */
  readonly project?: pulumi.Input<string>;
  /** The APIs, e.g. `["cloudtasks.googleapis.com"]`; duplicates are merged. */
  readonly apis: readonly GcpApi[];
}

export const projectApisArgsSchema = z
  .strictObject(
    {
      project: gcpProjectId.optional(),
      apis: z.array(z.enum(known, expected(`one of ${known.join(", ")}`)), expected("a list")),
    },
    expected("ProjectApis args: a mapping with apis"),
  )
  .superRefine((a, ctx) => {
    if (Array.isArray(a.apis) && a.apis.length === 0) {
      problem(ctx, ["apis"], "at least one API", []);
    }
  }, always);

const argsMatchSchema: SameShape<
  Known<ProjectApisArgs>,
  z.input<typeof projectApisArgsSchema>
> = true;
void argsMatchSchema;

/** The short form of an API used in logical names: `cloudtasks.googleapis.com` → `cloudtasks`. */
const shortApi = (api: string): string => api.replace(/\.googleapis\.com$/, "");

/**
 * Enables Google APIs in a project, once each, as code. `disableOnDestroy: false`: removing the
 * stack (or this component) never switches an API off, which would break whatever else in the
 * project uses it. Pass `dependsOn(apis)` to the resources that call those APIs.
 */
export class ProjectApis extends pulumi.ComponentResource {
  static readonly __pulumiType = "taskstack:project:ProjectApis";

  /** The `gcp.projects.Service` of each API. */
  readonly services: Readonly<Record<string, gcp.projects.Service>>;

  constructor(name: string, args: ProjectApisArgs, opts: pulumi.ComponentResourceOptions = {}) {
    validateArgs("ProjectApis", name, projectApisArgsSchema, args);
    super(ProjectApis.__pulumiType, name, {}, opts);
    const services: Record<string, gcp.projects.Service> = {};
    for (const api of [...new Set(args.apis)].sort()) {
      services[api] = new gcp.projects.Service(
        childName(name, shortApi(api)),
        {
          project: args.project,
          service: api,
          disableOnDestroy: false,
          disableDependentServices: false,
        },
        { parent: this },
      );
    }
    this.services = services;
    this.registerOutputs({ apis: Object.keys(services) });
  }

  /**
   * The services of `apis`, for a `dependsOn`. An API this component does not enable is an error:
   * a resource would otherwise wait for nothing.
   */
  dependsOn(apis: readonly string[]): gcp.projects.Service[] {
    return [...new Set(apis)].sort().map((api) => {
      const service = this.services[api];
      if (service === undefined) {
        throw new Error(`ProjectApis: ${api} is not one of the APIs it enables`);
      }
      return service;
    });
  }
}
