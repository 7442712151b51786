// An ES module Pulumi program ("type": "module"): taskstack's CommonJS entries through Node's
// named-export interop, each public entry point but `taskstack/schemas`.
import * as pulumi from "@pulumi/pulumi";
import { messaging } from "taskstack";
import { PubSubTopic } from "taskstack/gcp";
import { HttpsStaticSite } from "taskstack/aws";
import { KubernetesCronJob } from "taskstack/kubernetes";
import { runProgram } from "taskstack/testing";
import { taskstackPolicies } from "taskstack/policies";

const topic = new PubSubTopic("orders", { project: "acme-dev", projectNumber: "123456789012" });
export const topicId: pulumi.Output<string> = topic.topicId;
export const entries = [messaging.CloudTasksQueue, HttpsStaticSite, KubernetesCronJob, runProgram];
export const policyCount = taskstackPolicies.length;
