import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { TaskstackInputError } from "./errors";
import { formatIssues, iamMember, isKnown, serviceAccountEmail } from "./schema";

/**
 * Keeps an error's message as written. Pulumi's serializer prefixes a failing input's property
 * path onto the *same* error object once for every resource and property that carries the value
 * (`error serializing property "metadata": error serializing property "namespace": …`, dozens
 * deep when many resources share it); the CLI reports one error object once, so its message must
 * stay the one line we wrote.
 */
export function keepMessage<E extends Error>(err: E): E {
  const message = err.message;
  Object.defineProperty(err, "message", {
    get: () => message,
    set: () => undefined,
    enumerable: false,
    configurable: true,
  });
  return err;
}

/**
 * An arg that may be an Output, checked with the same schema (and so the same message) as a known
 * value: a known value was checked at construction by `validateArgs` and is returned as it is; an
 * Output is checked once it resolves. A bad value then fails every resource it reaches with one
 * TaskstackInputError (`<Component> "<name>" <path>: expected …, got …`), so nothing is created
 * with it, and `pulumi up` (which reports one error object once) prints that one line.
 */
export function checkedWhenResolved(
  component: string,
  name: string,
  path: string,
  schema: z.ZodType,
  value: pulumi.Input<string>,
): pulumi.Input<string> {
  if (isKnown(value)) return value;
  let failure: TaskstackInputError | undefined;
  return pulumi.output(value).apply((resolved) => {
    const result = schema.safeParse(resolved, { reportInput: true });
    if (result.success) return resolved;
    failure ??= keepMessage(
      new TaskstackInputError(
        formatIssues(`${component} ${JSON.stringify(name)} `, result.error.issues, schema, path),
      ),
    );
    throw failure;
  });
}

/**
 * What `build` makes of a value that may be an Output: its result now when the value is known
 * (a plain value stays plain), else an Output of the result once the value resolves.
 */
export function whenResolved<T, R>(
  value: pulumi.Input<T>,
  build: (value: T) => R,
): pulumi.Input<R> {
  if (isKnown(value)) return build(value);
  return pulumi.output(value).apply((v) => build(v as T)) as pulumi.Output<R>;
}

/**
 * A resource's args built from a value that may be an Output (names and texts that contain it):
 * as `build` makes them when the value is known; when it is an Output, each top-level arg is an
 * Output of the one `build` makes once the value resolves, so the resolved args are the same.
 * `build` must give the same keys whatever the value: they are read from `build(placeholder)`.
 */
export function argsWhenResolved<T, A extends object>(
  value: pulumi.Input<T>,
  placeholder: T,
  build: (value: T) => A,
): A {
  if (isKnown(value)) return build(value);
  const built = pulumi.output(value).apply((v) => build(v as T));
  const keys = Object.keys(build(placeholder)) as (keyof A)[];
  return Object.fromEntries(
    keys.map((key) => [key, built.apply((args) => (args as A)[key])]),
  ) as unknown as A;
}

/** A provider-computed output a component reads, and how a test's own mocks can supply it. */
export interface ComputedOutput<T> {
  /** The output, e.g. `certificate.domainValidationOptions`. */
  readonly value: pulumi.Output<T | undefined>;
  /** `aws.acm.Certificate "site-certificate" domainValidationOptions`. */
  readonly what: string;
  /** The resource's type token, which a `newResource` mock receives as `args.type`. */
  readonly type: string;
  /** What `newResource` should add to `state` for it, e.g. `result: "<a password>"`. */
  readonly mock: string;
  /**
   * What the component goes on with once the missing output is reported, so the rest of the
   * program registers (a mock monitor refuses unknown inputs outside a preview) and the one
   * report stays the only failure.
   */
  readonly stand: T;
}

/**
 * The provider-computed outputs a component reads, checked once: when any is missing (a test's
 * own `pulumi.runtime.setMocks` whose `newResource` returns only the inputs, as Pulumi's docs
 * show), the component reports one error naming each missing output and the mock that supplies
 * it, once, and goes on with each one's `stand` value instead of failing in every resource that
 * reads it. Against a real provider these outputs are always set (unknown in a preview, when
 * nothing reads them), so the stand-ins never reach a cloud.
 */
export function providerComputed<T extends readonly ComputedOutput<unknown>[]>(
  owner: string,
  outputs: T,
): pulumi.Output<{ [K in keyof T]: T[K] extends ComputedOutput<infer V> ? V : never }> {
  type Values = { [K in keyof T]: T[K] extends ComputedOutput<infer V> ? V : never };
  const checked = pulumi.all(outputs.map((o) => o.value)).apply((values): Values => {
    const missing = outputs.filter((_, i) => values[i] === undefined);
    if (missing.length === 0) return values as unknown as Values;
    const lines = missing.map(
      (o) =>
        `${owner}: ${o.what} is undefined: a provider computes it, and these mocks return only the inputs. Return it from your mocks' newResource for "${o.type}" (state: { ...args.inputs, ${o.mock} }), or run the program with taskstack/testing's runProgram, which synthesizes it`,
    );
    const error = keepMessage(new Error(lines.join("\n")));
    error.name = "TaskstackMockError";
    // Reported once, here: the test (or `pulumi up`) fails with this one error.
    void Promise.reject(error);
    return values.map((v, i) => (v === undefined ? outputs[i]?.stand : v)) as unknown as Values;
  });
  return checked as pulumi.Output<Values>;
}

/**
 * The member of a `grant…` method, checked as a stack file's members are (`serviceAccount:…`,
 * `user:…`, `group:…`, `domain:…`, `principal…:…`; `allUsers` and `allAuthenticatedUsers` are
 * refused, as public access to a queue or topic is never what a grant means): a known member now,
 * an Output once it resolves, with one message such as
 * `PubSubTopic "orders" grantPublish member: expected an IAM member such as …, got …`.
 */
export function checkedMember(
  component: string,
  name: string,
  method: string,
  member: pulumi.Input<string>,
): pulumi.Input<string> {
  const path = `${method} member`;
  if (!isKnown(member)) return checkedWhenResolved(component, name, path, iamMember, member);
  const result = iamMember.safeParse(member, { reportInput: true });
  if (result.success) return member;
  const lines = formatIssues(
    `${component} ${JSON.stringify(name)} `,
    result.error.issues,
    iamMember,
    path,
  );
  const bareAccount = typeof member === "string" && serviceAccountEmail.safeParse(member).success;
  throw new TaskstackInputError(
    bareAccount ? lines.map((l) => `${l}. Prefix it: "serviceAccount:${member}"`) : lines,
  );
}
