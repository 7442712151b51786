import { z } from "zod";
import { expected } from "../../components/shared/schema";
import { noSettingsYet } from "./rules";
import type { StackRules } from "./rules";

/** `taskstack:spanner`: no settings yet. */
export const spannerSection = z.strictObject({}, expected(noSettingsYet)).optional();

export type SpannerConfig = z.output<typeof spannerSection>;

export function spannerRules(_section: SpannerConfig, _rules: StackRules): void {}
