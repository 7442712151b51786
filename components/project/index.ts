export { ProjectApis, gcpApis, projectApisArgsSchema } from "./project-apis";
export type { ProjectApisArgs, GcpApi } from "./project-apis";
