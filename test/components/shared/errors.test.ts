import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { TaskstackInputError, isTaskstackInputError } from "../../../components/shared/errors";

describe("TaskstackInputError", () => {
  it("is a Pulumi RunError, which the Node.js runtime prints as its message alone, with no stack trace", () => {
    const err = new TaskstackInputError(["a: expected x, got y", "b: expected z, got w"]);
    expect(pulumi.RunError.isInstance(err)).toBe(true);
    expect(err.message).toBe("a: expected x, got y\nb: expected z, got w");
    expect(err.name).toBe("TaskstackInputError");
    expect(isTaskstackInputError(err)).toBe(true);
  });
});
