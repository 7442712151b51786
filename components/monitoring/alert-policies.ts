import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export interface DeadLetterAlertInputs {
  readonly project?: pulumi.Input<string>;
  readonly topicName: string;
  readonly deadLetterSubscriptionName: pulumi.Input<string>;
  readonly notificationChannels: readonly pulumi.Input<string>[];
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * An alert that fires as soon as one message waits on a dead-letter subscription: dead letters
 * nobody looks at are dropped when their retention ends, which is how they "vanish".
 */
export function deadLetterAlertPolicyArgs(
  inputs: DeadLetterAlertInputs,
): gcp.monitoring.AlertPolicyArgs {
  const { topicName } = inputs;
  return {
    project: inputs.project,
    displayName: `Dead letters on ${topicName}`,
    // A dead letter is a message its consumers gave up on: it is lost when its retention ends.
    severity: "ERROR",
    combiner: "OR",
    notificationChannels: [...inputs.notificationChannels],
    userLabels: { ...inputs.labels },
    conditions: [
      {
        displayName: `${topicName}-dead-letter has undelivered messages`,
        conditionThreshold: {
          filter: pulumi.interpolate`resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "${inputs.deadLetterSubscriptionName}" AND metric.type = "pubsub.googleapis.com/subscription/num_undelivered_messages"`,
          comparison: "COMPARISON_GT",
          thresholdValue: 0,
          duration: "0s",
          aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX" }],
        },
      },
    ],
    documentation: {
      mimeType: "text/markdown",
      content: `Messages on ${topicName} failed delivery repeatedly and were dead-lettered. Inspect them on the ${topicName}-dead-letter subscription, fix the consumer, then replay or ack them.`,
    },
  };
}

/** What every taskstack alert policy states: what it watches, what it means, what to do. */
export interface AlertPolicyInputs {
  readonly project?: pulumi.Input<string>;
  readonly displayName: pulumi.Input<string>;
  /** Markdown shown in the notification: what the alert means and what to do about it. */
  readonly documentation: pulumi.Input<string>;
  readonly conditions: pulumi.Input<
    pulumi.Input<gcp.types.input.monitoring.AlertPolicyCondition>[]
  >;
  readonly notificationChannels: readonly pulumi.Input<string>[];
  readonly labels: Readonly<Record<string, string>>;
  /** @default "ERROR" */
  readonly severity?: "CRITICAL" | "ERROR" | "WARNING";
}

/**
 * Alert policy args in taskstack's shape: documentation always set (an alert nobody can act on is
 * noise), conditions combined with OR, the channels given, and taskstack's labels.
 */
export function alertPolicyArgs(inputs: AlertPolicyInputs): gcp.monitoring.AlertPolicyArgs {
  return {
    project: inputs.project,
    displayName: inputs.displayName,
    combiner: "OR",
    severity: inputs.severity ?? "ERROR",
    notificationChannels: [...inputs.notificationChannels],
    userLabels: { ...inputs.labels },
    conditions: inputs.conditions,
    documentation: { mimeType: "text/markdown", content: inputs.documentation },
  };
}

/** A condition that fires when a metric's value stays above `threshold` for `durationSeconds`. */
export function thresholdCondition(inputs: {
  readonly displayName: string;
  readonly filter: pulumi.Input<string>;
  readonly threshold: number;
  readonly durationSeconds?: number;
  readonly alignmentPeriodSeconds?: number;
  readonly aligner?: string;
}): gcp.types.input.monitoring.AlertPolicyCondition {
  return {
    displayName: inputs.displayName,
    conditionThreshold: {
      filter: inputs.filter,
      comparison: "COMPARISON_GT",
      thresholdValue: inputs.threshold,
      duration: `${inputs.durationSeconds ?? 0}s`,
      aggregations: [
        {
          alignmentPeriod: `${inputs.alignmentPeriodSeconds ?? 60}s`,
          perSeriesAligner: inputs.aligner ?? "ALIGN_MAX",
        },
      ],
    },
  };
}

/**
 * A PromQL condition. Every condition on a user-defined metric (a log-based metric, or a custom
 * metric a client library may write) is one of these with `disableMetricValidation`: a new
 * log-based metric is invisible to Cloud Monitoring for up to about 10 minutes, and creating a
 * filter- or PromQL-based condition on it in the same update fails with `Error 404: Cannot find
 * metric(s) that match type = "logging.googleapis.com/user/…". If a metric was created recently,
 * it could take up to 10 minutes to become available.` (`dependsOn` only orders the API calls;
 * hashicorp/terraform-provider-google#11102, GoogleCloudPlatform/cloud-foundation-fabric#3739).
 * `disableMetricValidation` is the PromQL condition's switch for exactly this
 * (GoogleCloudPlatform/magic-modules#12438, @pulumi/gcp
 * `AlertPolicyConditionConditionPrometheusQueryLanguage.disableMetricValidation`).
 */
export function promQlCondition(inputs: {
  readonly displayName: string;
  readonly query: string;
  readonly durationSeconds?: number;
  readonly evaluationIntervalSeconds?: number;
  /** Skip the check that the query's metrics exist: true for user-defined metrics. @default false */
  readonly disableMetricValidation?: boolean;
}): gcp.types.input.monitoring.AlertPolicyCondition {
  return {
    displayName: inputs.displayName,
    conditionPrometheusQueryLanguage: {
      query: inputs.query,
      duration: `${inputs.durationSeconds ?? 0}s`,
      evaluationInterval: `${inputs.evaluationIntervalSeconds ?? 60}s`,
      ...(inputs.disableMetricValidation === true ? { disableMetricValidation: true } : {}),
    },
  };
}

/** A PromQL selector: the metric's PromQL name and label matchers (values quoted as PromQL strings). */
export function promQlSeries(metricType: string, labels: Readonly<Record<string, string>>): string {
  const matchers = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${promQlMetricName(metricType)}{${matchers.join(",")}}`;
}

/**
 * "More than `threshold` matching log entries within `windowSeconds`", on a user-defined
 * log-based counter: PromQL with metric validation off, so the alert can be created in the same
 * update as its metric. `or on() vector(0)` makes a metric that never had a point count as 0.
 */
export function logCountAboveCondition(inputs: {
  readonly displayName: string;
  readonly metricName: string;
  readonly resourceType: string;
  readonly windowSeconds: number;
  /** Fires when the count is above this. @default 0 */
  readonly threshold?: number;
}): gcp.types.input.monitoring.AlertPolicyCondition {
  const series = promQlSeries(`logging.googleapis.com/user/${inputs.metricName}`, {
    monitored_resource: inputs.resourceType,
  });
  return promQlCondition({
    displayName: inputs.displayName,
    query: `(sum(increase(${series}[${inputs.windowSeconds}s])) or on() vector(0)) > ${inputs.threshold ?? 0}`,
    evaluationIntervalSeconds: 60,
    disableMetricValidation: true,
  });
}

/**
 * "Fewer than one matching log entry within `windowSeconds`" (something stopped happening), on a
 * user-defined log-based counter. One form for every window: a metric-absence condition "is met
 * only after the subsystem writes at least one data point and then writes no data points" (Cloud
 * Monitoring, "Metric-absence conditions") and stops at 23.5 hours, so a pipeline that never
 * worked would stay silent; `or on() vector(0)` counts "no data at all" as zero, so this fires
 * from the first window too, and PromQL has no such window limit.
 */
export function logCountBelowOneCondition(inputs: {
  readonly displayName: string;
  readonly metricName: string;
  readonly resourceType: string;
  readonly windowSeconds: number;
}): gcp.types.input.monitoring.AlertPolicyCondition {
  const series = promQlSeries(`logging.googleapis.com/user/${inputs.metricName}`, {
    monitored_resource: inputs.resourceType,
  });
  return promQlCondition({
    displayName: inputs.displayName,
    query: `(sum(increase(${series}[${inputs.windowSeconds}s])) or on() vector(0)) < 1`,
    evaluationIntervalSeconds: 300,
    disableMetricValidation: true,
  });
}

/** The PromQL name of a Cloud Monitoring metric type (`logging.googleapis.com/user/a_b` → `logging_googleapis_com:user_a_b`). */
export function promQlMetricName(metricType: string): string {
  const slash = metricType.indexOf("/");
  const domain = metricType.slice(0, slash).replace(/[^A-Za-z0-9_]/g, "_");
  const path = metricType.slice(slash + 1).replace(/[^A-Za-z0-9_]/g, "_");
  return `${domain}:${path}`;
}
