import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { isCheckedKubernetesType, kubernetesCheck } from "../../testing/kubernetes-check";
import { runProgram } from "../../testing/engine";
import { Secret, revealSecrets, unknownValue } from "../../testing/plan";

// Each case is a difference scripts/real-pulumi.sh found between the offline plan and the real
// Kubernetes provider v4 (built from Go modules): its Check normalizes the inputs the engine
// records, so the plan keeps them as `checkedInputs`.
describe("kubernetesCheck: the real provider's Check normalization", () => {
  it("drops an empty list at an omitempty field (a container's env), keeping one without omitempty", () => {
    const inputs = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "r", labels: { a: "1" } },
      rules: [],
      spec: { containers: [{ name: "c", env: [], args: [], image: "i" }] },
    };
    expect(kubernetesCheck("kubernetes:rbac.authorization.k8s.io/v1:Role", inputs)).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "r", labels: { a: "1" } },
      rules: [],
      spec: { containers: [{ name: "c", image: "i" }] },
    });
  });

  it("merges a Secret's stringData into data, base64, secret when either was", () => {
    const checked = kubernetesCheck("kubernetes:core/v1:Secret", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s" },
      data: { kept: "a2VwdA==" },
      stringData: new Secret({ url: "amqp://u:hunter2@h/v" }),
    });
    expect(Object.keys(checked)).toEqual(["apiVersion", "kind", "metadata", "data"]);
    expect(checked["data"]).toBeInstanceOf(Secret);
    expect(revealSecrets(checked["data"])).toEqual({
      kept: "a2VwdA==",
      url: Buffer.from("amqp://u:hunter2@h/v").toString("base64"),
    });
  });

  it("leaves an object holding an unknown as given, as in a preview", () => {
    const inputs = {
      kind: "Secret",
      stringData: new Secret({ password: unknownValue }),
      metadata: { name: "s" },
    };
    expect(kubernetesCheck("kubernetes:core/v1:Secret", inputs)).toBe(inputs);
    const pod = { kind: "Pod", spec: { containers: [{ env: [], image: unknownValue }] } };
    expect(kubernetesCheck("kubernetes:core/v1:Pod", pod)).toEqual(pod);
  });

  it("removes the read-only metadata fields", () => {
    expect(
      kubernetesCheck("kubernetes:core/v1:ConfigMap", {
        kind: "ConfigMap",
        metadata: { name: "c", uid: "u", resourceVersion: "1", generation: 2 },
      }),
    ).toEqual({ kind: "ConfigMap", metadata: { name: "c" } });
  });

  it("applies to the built-in kinds' custom resources only", () => {
    expect(isCheckedKubernetesType("kubernetes:core/v1:Secret", true)).toBe(true);
    expect(isCheckedKubernetesType("kubernetes:core/v1:SecretList", true)).toBe(false);
    expect(isCheckedKubernetesType("kubernetes:helm.sh/v3:Release", true)).toBe(false);
    expect(isCheckedKubernetesType("kubernetes:yaml/v2:ConfigGroup", false)).toBe(false);
    expect(isCheckedKubernetesType("pulumi:providers:kubernetes", true)).toBe(false);
  });
});

describe("runProgram records the Kubernetes provider's checked inputs", () => {
  it("keeps the program's inputs and, where Check changes them, the checked ones", async () => {
    const plan = await runProgram(() => {
      new k8s.core.v1.Secret("s", {
        metadata: { name: "s" },
        stringData: { url: pulumi.secret("amqp://x") },
      });
      new k8s.core.v1.ConfigMap("c", { metadata: { name: "c" }, data: { a: "b" } });
    });
    const secret = plan.get("kubernetes:core/v1:Secret", "s");
    expect(revealSecrets(secret.inputs["stringData"])).toEqual({ url: "amqp://x" });
    expect(revealSecrets(secret.checkedInputs)).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s" },
      data: { url: Buffer.from("amqp://x").toString("base64") },
    });
    expect(plan.get("kubernetes:core/v1:ConfigMap", "c").checkedInputs).toBeUndefined();
  });
});
