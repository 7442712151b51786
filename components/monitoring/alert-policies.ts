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
