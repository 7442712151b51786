import { createHash } from "node:crypto";
import type { ResourceSynthesizer } from "./synthesize";

// Provider outputs RabbitMqCluster reads back: the generated credentials. Deterministic, so the
// same stack always plans the same, and obviously not a real credential.

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `length` characters derived from the stack and the resource's name (the provider's are random). */
function placeholderPassword(seed: string, length: number): string {
  let out = "";
  for (let block = 0; out.length < length; block++) {
    const digest = createHash("sha256").update(`${seed}/${block}`).digest();
    for (const byte of digest) out += alphabet[byte % alphabet.length];
  }
  return out.slice(0, length);
}

export const rabbitMqResourceSynthesizers: Record<string, ResourceSynthesizer> = {
  "random:index/randomPassword:RandomPassword": (args) => {
    const length = typeof args.inputs["length"] === "number" ? args.inputs["length"] : 16;
    const result = placeholderPassword(`${args.ctx.stack}/${args.name}`, length);
    return {
      id: "none",
      state: { result, bcryptHash: `$2a$10$${placeholderPassword(`${result}/bcrypt`, 53)}` },
    };
  },
};
