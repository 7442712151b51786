import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";

/** The metric type alert policies filter on for a user-defined log-based metric. */
export function logMetricType(metricName: string): string {
  return `logging.googleapis.com/user/${metricName}`;
}

/**
 * A log-based counter: one point per log entry matching `filter`. Alert on it with
 * `metric.type = "<logMetricType(name)>"`; a counter is how taskstack turns "an error was logged"
 * and "a backup succeeded" into something Cloud Monitoring can alert on, or alert on the absence of.
 */
export function logCounterMetricArgs(inputs: {
  readonly project?: pulumi.Input<string>;
  /** The metric's name, unique in the project (`[A-Za-z0-9_-./]`, up to 100 characters). */
  readonly name: string;
  readonly description: pulumi.Input<string>;
  readonly filter: pulumi.Input<string>;
}): gcp.logging.MetricArgs {
  return {
    project: inputs.project,
    name: inputs.name,
    description: inputs.description,
    filter: inputs.filter,
    metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1" },
  };
}
