export { ProjectApis, GcpApi, gcpApis } from "./project-apis";
export type { ProjectApisArgs } from "./project-apis";
