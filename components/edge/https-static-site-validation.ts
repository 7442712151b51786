// HttpsStaticSite's validation before anything is declared: its args against the one args schema,
// the names AWS derives from the site's name, and the options it adds to Pulumi's.
import * as aws from "@pulumi/aws";
import { TaskstackInputError, describeValue, isTaskstackInputError } from "../shared/errors";
import { formatIssues, validateArgs } from "../shared/schema";
import {
  httpsStaticSiteArgsSchema,
  httpsStaticSiteOptionsSchema,
  siteNameProblems,
} from "./https-static-site-schema";

/**
 * Checks HttpsStaticSite args with {@link httpsStaticSiteArgsSchema} (and, when given, its options
 * with {@link httpsStaticSiteOptionsSchema}) before anything is declared, throwing one
 * TaskstackInputError that lists every problem as `HttpsStaticSite "<name>" <path>: expected …,
 * got …` (`opts.<key>` for an option). Outputs are not checked.
 */
export function validateHttpsStaticSiteArgs(name: unknown, args: unknown, opts?: unknown): void {
  const label = `HttpsStaticSite ${typeof name === "string" ? JSON.stringify(name) : "(unnamed)"}`;
  const extra = [...movedToOptions(label, args), ...siteNameProblems(name, args)];
  if (opts !== undefined) extra.push(...optionProblems(label, opts));
  try {
    validateArgs("HttpsStaticSite", name, httpsStaticSiteArgsSchema, withoutMoved(args));
  } catch (err) {
    if (isTaskstackInputError(err)) throw new TaskstackInputError([...err.problems, ...extra]);
    throw err;
  }
  if (extra.length > 0) throw new TaskstackInputError(extra);
}

/**
 * `usEast1Provider` was an arg until it became an option. Refused with the fix rather than
 * ignored: ignored, the certificate would silently go through the stack's own account instead.
 */
function movedToOptions(label: string, args: unknown): string[] {
  if (!hasMovedKey(args)) return [];
  const value = args.usEast1Provider;
  const given = aws.Provider.isInstance(value) ? "an aws.Provider" : describeValue(value);
  return [
    `${label} usEast1Provider: expected it among the options, not the args (a provider is a resource option), got ${given} in the args. Pass it as the third argument: new HttpsStaticSite(name, args, { usEast1Provider })`,
  ];
}

function hasMovedKey(args: unknown): args is { usEast1Provider: unknown } {
  return typeof args === "object" && args !== null && Object.hasOwn(args, "usEast1Provider");
}

/** The args without a moved key, which is reported once, by {@link movedToOptions}. */
function withoutMoved(args: unknown): unknown {
  if (!hasMovedKey(args)) return args;
  const { usEast1Provider: _moved, ...rest } = args;
  return rest;
}

function optionProblems(label: string, opts: unknown): string[] {
  const result = httpsStaticSiteOptionsSchema.safeParse(opts, { reportInput: true });
  if (result.success) return [];
  const issues = result.error.issues.map((issue) => ({ ...issue, path: ["opts", ...issue.path] }));
  return formatIssues(`${label} `, issues, httpsStaticSiteOptionsSchema, "opts");
}
