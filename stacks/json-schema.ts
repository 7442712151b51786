import { z } from "zod";
import { isSecretField } from "../components/shared/schema";
import { stackConfigSchema } from "./config";

/** Where the generated schema lives; stack files point at it for the YAML language server. */
export const stackSchemaFile = "schema/stack-config.schema.json";

/**
 * The JSON Schema of a whole `stacks/Pulumi.<stack>.yaml`, generated from the zod stack schema
 * with zod's own converter, so editors flag unknown keys, wrong types and out-of-range values as
 * a stack file is typed. Rules that span fields (and format checks zod runs as code, such as cron
 * text) are not expressible here: `npm start` still reports those.
 */
export function stackFileJsonSchema(): Record<string, unknown> {
  const config = z.toJSONSchema(stackConfigSchema, {
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      // A secret may be written encrypted, as `pulumi config set --secret` writes it.
      if (isSecretField(ctx.zodSchema)) {
        const plain = { ...ctx.jsonSchema };
        for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
        ctx.jsonSchema.anyOf = [
          plain,
          {
            type: "object",
            properties: { secure: { type: "string" } },
            required: ["secure"],
            additionalProperties: false,
          },
        ];
      }
    },
  }) as Record<string, unknown>;
  delete config["$schema"];
  const known = Object.keys((config["properties"] as Record<string, unknown> | undefined) ?? {});
  // Keys of other namespaces (gcp:region, kubernetes:context…) belong to providers; an unknown
  // taskstack: key is a typo.
  delete config["additionalProperties"];
  config["propertyNames"] = { anyOf: [{ enum: known }, { not: { pattern: "^taskstack:" } }] };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "taskstack stack file (stacks/Pulumi.<stack>.yaml)",
    type: "object",
    properties: {
      config,
      secretsprovider: { type: "string" },
      encryptedkey: { type: "string" },
      encryptionsalt: { type: "string" },
      environment: {},
    },
    required: ["config"],
    additionalProperties: false,
  };
}

/** The file's text, as `npm run schema` writes it. */
export function stackFileJsonSchemaText(): string {
  return `${JSON.stringify(stackFileJsonSchema(), null, 2)}\n`;
}
