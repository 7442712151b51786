import { describe, expect, it } from "vitest";
import {
  selects,
  statefulSetFacts,
} from "../../../../../policies/kubernetes/apps/statefulset/workload";

const labels = { "app.kubernetes.io/name": "rabbitmq", "app.kubernetes.io/instance": "broker" };

describe("statefulSetFacts", () => {
  it("reads a compliant StatefulSet's id, replicas, pod labels and pod spec", () => {
    const podSpec = { containers: [{ name: "rabbitmq", image: "rabbitmq:4.1.4" }] };
    expect(
      statefulSetFacts(
        {
          metadata: { name: "broker", namespace: "tasks" },
          spec: { replicas: 3, template: { metadata: { labels }, spec: podSpec } },
        },
        "broker-sts",
      ),
    ).toEqual({ id: "tasks/broker", namespace: "tasks", replicas: 3, podLabels: labels, podSpec });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      "no metadata: the default namespace and the logical name",
      { spec: { replicas: 3 } },
      { id: "default/broker-sts", namespace: "default", replicas: 3 },
    ],
    [
      "no replicas: Kubernetes' default of 1",
      { metadata: { name: "broker", namespace: "tasks" }, spec: {} },
      { id: "tasks/broker", replicas: 1 },
    ],
    [
      "non-string labels are dropped",
      { spec: { template: { metadata: { labels: { a: "x", b: 3 } } } } },
      { podLabels: { a: "x" } },
    ],
    [
      "a spec that is not a mapping",
      { spec: "broken" },
      { replicas: 1, podLabels: {}, podSpec: {} },
    ],
  ])("handles %s", (_case, props, expected) => {
    expect(statefulSetFacts(props, "broker-sts")).toMatchObject(expected);
  });
});

describe("selects", () => {
  it.each<[string, unknown, boolean]>([
    ["matching matchLabels", { matchLabels: labels }, true],
    ["a subset of the labels", { matchLabels: { "app.kubernetes.io/name": "rabbitmq" } }, true],
    ["a label with another value", { matchLabels: { "app.kubernetes.io/name": "redis" } }, false],
    ["an empty selector", { matchLabels: {} }, false],
    ["matchLabels with no expressions", { matchLabels: labels, matchExpressions: [] }, true],
    [
      "In",
      {
        matchExpressions: [
          { key: "app.kubernetes.io/instance", operator: "In", values: ["broker"] },
        ],
      },
      true,
    ],
    [
      "In, another value",
      { matchExpressions: [{ key: "app.kubernetes.io/instance", operator: "In", values: ["x"] }] },
      false,
    ],
    [
      "NotIn",
      {
        matchExpressions: [{ key: "app.kubernetes.io/instance", operator: "NotIn", values: ["x"] }],
      },
      true,
    ],
    ["Exists", { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "Exists" }] }, true],
    [
      "DoesNotExist",
      { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "DoesNotExist" }] },
      false,
    ],
    [
      "matchLabels and a failing expression",
      { matchLabels: labels, matchExpressions: [{ key: "tier", operator: "Exists" }] },
      false,
    ],
    [
      "an unknown operator",
      { matchExpressions: [{ key: "tier", operator: "Gt", values: ["1"] }] },
      false,
    ],
    ["no selector", undefined, false],
  ])("%s: %s", (_case, selector, result) => {
    expect(selects(selector, labels)).toBe(result);
  });
});
