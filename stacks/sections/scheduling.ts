import { z } from "zod";
import { expected } from "../../components/shared/schema";
import { noSettingsYet } from "./rules";
import type { StackRules } from "./rules";

/** `taskstack:scheduling`: no settings yet. */
export const schedulingSection = z.strictObject({}, expected(noSettingsYet)).optional();

export type SchedulingConfig = z.output<typeof schedulingSection>;

export function schedulingRules(_section: SchedulingConfig, _rules: StackRules): void {}
