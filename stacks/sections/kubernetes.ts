import { z } from "zod";
import { expected } from "../../components/shared/schema";
import { noSettingsYet } from "./rules";
import type { StackRules } from "./rules";

/** `taskstack:kubernetes`: no settings yet. */
export const kubernetesSection = z.strictObject({}, expected(noSettingsYet)).optional();

export type KubernetesConfig = z.output<typeof kubernetesSection>;

export function kubernetesRules(_section: KubernetesConfig, _rules: StackRules): void {}
