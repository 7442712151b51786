import { z } from "zod";
import { expected, httpsUrl, serviceAccountEmail, shortName } from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";
import type { AppEngineTarget } from "./app-engine-import";
import { cloudSchedulerJobShape } from "./cloud-scheduler-job-schema";

// The schema of importAppEngineCron's and importAppEngineQueues' targets, apart from the importer
// so its published types carry no zod types (taskstack/schemas exports it).

export const appEngineTargetSchema = z.strictObject(
  {
    baseUrl: httpsUrl,
    cloudRunService: shortName.optional(),
    cloudFunction: z.string(expected("a function name")).optional(),
    cloudFunctionGeneration: cloudSchedulerJobShape.cloudFunctionGeneration,
    invokerServiceAccountEmail: serviceAccountEmail.optional(),
  },
  expected("a target: a mapping with a baseUrl"),
);

export const appEngineTargetsSchema = z.record(
  z.string(expected("an App Engine service name")),
  appEngineTargetSchema,
  expected("a map of App Engine service names to where they run now"),
);

const targetMatchesSchema: SameShape<
  Known<AppEngineTarget>,
  z.input<typeof appEngineTargetSchema>
> = true;
void targetMatchesSchema;
