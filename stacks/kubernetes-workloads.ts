import type * as pulumi from "@pulumi/pulumi";
import { scheduling, workers } from "../components";
import type { StackConfig } from "./config";
import { brokerSecretName, rabbitMqClusterName } from "./sections/kubernetes-workloads";

/** What the workloads export: each queue's Deployment and each CronJob, by name. */
export interface WorkloadsOutputs {
  /** `<pool>/<queue>` → Deployment name. */
  readonly workerDeployments: Record<string, string>;
  /** CronJob names. */
  readonly cronJobs: string[];
}

/**
 * Declares the stack's Celery worker pools and CronJobs from `taskstack:kubernetes`. The
 * namespace itself is the RabbitMQ part's to create; pass it (or anything else the workloads
 * must wait for) as `dependsOn`. A validated stack file never fails here: the section's schema
 * is built from the components' own.
 */
export function declareWorkloads(
  config: StackConfig,
  opts: { readonly dependsOn?: pulumi.Input<pulumi.Resource>[] } = {},
): WorkloadsOutputs {
  const k = config["taskstack:kubernetes"];
  const outputs: WorkloadsOutputs = { workerDeployments: {}, cronJobs: [] };
  if (k === undefined) return outputs;
  const cluster = rabbitMqClusterName(k);
  const resourceOpts = opts.dependsOn ? { dependsOn: opts.dependsOn } : {};
  // The section's rules refuse worker pools without a RabbitMQ cluster, so `cluster` is set here
  // whenever a pool is.
  for (const { name, ...pool } of k.workerPools) {
    const component = new workers.CeleryWorkerPool(
      name,
      {
        ...pool,
        namespace: k.namespace,
        brokerUrlSecret: { name: brokerSecretName(cluster ?? name), key: "url" },
      },
      resourceOpts,
    );
    for (const [queue, deployment] of Object.entries(component.deploymentNames)) {
      outputs.workerDeployments[`${name}/${queue}`] = deployment;
    }
  }
  for (const { name, ...cronJob } of k.cronJobs) {
    const component = new scheduling.KubernetesCronJob(
      name,
      { ...cronJob, namespace: k.namespace },
      resourceOpts,
    );
    outputs.cronJobs.push(component.cronJobName);
  }
  return outputs;
}
