import { z } from "zod";
import { always, expected, gcpProjectId, problem } from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";
import { gcpApis } from "./gcp-apis";
import type { GcpApi } from "./gcp-apis";
import type { ProjectApisArgs } from "./project-apis";

// ProjectApis' one args schema, apart from the component so the component's published types
// carry no zod types (taskstack/schemas exports it).

const known = Object.values(gcpApis) as [GcpApi, ...GcpApi[]];

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
