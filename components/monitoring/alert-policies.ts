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
  readonly displayName: string;
  /** Markdown shown in the notification: what the alert means and what to do about it. */
  readonly documentation: string;
  readonly conditions: gcp.types.input.monitoring.AlertPolicyCondition[];
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

/** A condition that fires when a metric has no data for `durationSeconds` (something stopped). */
export function absenceCondition(inputs: {
  readonly displayName: string;
  readonly filter: pulumi.Input<string>;
  readonly durationSeconds: number;
  readonly alignmentPeriodSeconds?: number;
}): gcp.types.input.monitoring.AlertPolicyCondition {
  return {
    displayName: inputs.displayName,
    conditionAbsent: {
      filter: inputs.filter,
      duration: `${inputs.durationSeconds}s`,
      aggregations: [
        {
          alignmentPeriod: `${inputs.alignmentPeriodSeconds ?? 300}s`,
          perSeriesAligner: "ALIGN_COUNT",
        },
      ],
    },
  };
}

/**
 * A PromQL condition: for what metric-threshold and metric-absence conditions cannot express, such
 * as "nothing for 30 hours" (absence conditions stop at 23.5 hours, and a threshold condition's
 * alignment period plus duration at 25 hours).
 */
export function promQlCondition(inputs: {
  readonly displayName: string;
  readonly query: string;
  readonly durationSeconds?: number;
  readonly evaluationIntervalSeconds?: number;
}): gcp.types.input.monitoring.AlertPolicyCondition {
  return {
    displayName: inputs.displayName,
    conditionPrometheusQueryLanguage: {
      query: inputs.query,
      duration: `${inputs.durationSeconds ?? 0}s`,
      evaluationInterval: `${inputs.evaluationIntervalSeconds ?? 300}s`,
    },
  };
}

/** The PromQL name of a Cloud Monitoring metric type (`logging.googleapis.com/user/a_b` → `logging_googleapis_com:user_a_b`). */
export function promQlMetricName(metricType: string): string {
  const slash = metricType.indexOf("/");
  const domain = metricType.slice(0, slash).replace(/[^A-Za-z0-9_]/g, "_");
  const path = metricType.slice(slash + 1).replace(/[^A-Za-z0-9_]/g, "_");
  return `${domain}:${path}`;
}
