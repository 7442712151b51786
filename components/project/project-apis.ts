import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../shared/naming";
import { validateArgs } from "../shared/schema";
import type { GcpApi } from "./gcp-apis";
import { projectApisArgsSchema } from "./project-apis-schema";

export { GcpApi, gcpApis } from "./gcp-apis";

export interface ProjectApisArgs {
  /** GCP project the APIs are enabled in. @default - the provider's project (`gcp:project`) */
  readonly project?: pulumi.Input<string>;
  /** The APIs, e.g. `["cloudtasks.googleapis.com"]`; duplicates are merged. */
  readonly apis: GcpApi[];
}

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
