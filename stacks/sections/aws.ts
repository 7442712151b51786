import { z } from "zod";
import { expected } from "../../components/shared/schema";
import { noSettingsYet } from "./rules";
import type { StackRules } from "./rules";

/** `taskstack:aws`: no settings yet. */
export const awsSection = z.strictObject({}, expected(noSettingsYet)).optional();

export type AwsConfig = z.output<typeof awsSection>;

export function awsRules(_section: AwsConfig, _rules: StackRules): void {}
