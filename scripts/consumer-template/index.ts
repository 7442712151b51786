// A consumer's Pulumi program: a taskstack component, with the project number passed so the
// program does not depend on the getProject lookup.
import * as pulumi from "@pulumi/pulumi";
import { messaging } from "taskstack";

export function orders(projectNumber?: string) {
  const topic = new messaging.PubSubTopic("orders", {
    project: "acme-dev",
    ...(projectNumber !== undefined ? { projectNumber } : {}),
    subscriptions: [{ name: "worker" }],
  });
  return { topicId: topic.topicId, agent: topic.serviceAgentMember } satisfies Record<
    string,
    pulumi.Output<string>
  >;
}
