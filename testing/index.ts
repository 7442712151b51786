export { runProgram, declaredBeforeFailure } from "./engine";
export type { Program, RunOptions } from "./engine";
export { Plan, Match, Capture, hasResource, findResources, resourceCount } from "./assertions";
export type { Matcher } from "./assertions";
export { Secret, Unknown, isSecret, isUnknownValue, revealSecrets, unknownValue } from "./plan";
export type { PlannedResource, PlanData, ResourceTypeRef } from "./plan";
export {
  runPolicies,
  formatPolicyReport,
  loadPolicyConfig,
  effectiveEnforcementLevel,
} from "./policy-runner";
export type { PolicyReport, PolicyViolation, RunPoliciesOptions } from "./policy-runner";
export {
  readStackFile,
  readProjectFile,
  toEngineConfig,
  secretPlaceholder,
  listStacks,
} from "./stack-file";
export type { EngineConfig, ProjectFile } from "./stack-file";
export {
  autoName,
  projectNumber,
  stableHash,
  defaultInvokeSynthesizers,
  defaultResourceSynthesizers,
} from "./synthesize";
export { acmValidationOptions, awsAccountId } from "./synth-aws";
export type {
  InvokeSynthesizer,
  ResourceSynthesizer,
  SynthContext,
  SynthResourceArgs,
  SynthResult,
} from "./synthesize";
export {
  policyCases,
  fixtureResource,
  fixturePlan,
  fixtureUrn,
  fixtureProject,
  fixtureStack,
} from "./policy-cases";
export type { PolicyCase, PolicyCaseChange, PolicyCaseSpec } from "./policy-cases";
