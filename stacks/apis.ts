import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { data, messaging, monitoring, project, scheduling } from "../components";
import { gcpApis } from "../components/project/project-apis";
import type { GcpApi } from "../components/project/project-apis";
import type { StackConfig } from "./config";
import { pubSubTopicArgsFor } from "./messaging";
import { queueArgsFor, stackJobArgs } from "./scheduling";
import { backupArgs } from "./spanner";

/**
 * The stack's API enablement: one `ProjectApis` with every API the stack's components need
 * (`taskstack:gcp.enableApis`, default true), and `opts(apis)`, the options that make a component
 * wait for its APIs. A component's children register after the component, so they wait too.
 * With `enableApis: false` (an organisation that enables APIs centrally) nothing is declared and
 * `opts` adds nothing.
 */
export interface StackApis {
  readonly component?: project.ProjectApis;
  opts(apis: readonly GcpApi[]): { dependsOn?: gcp.projects.Service[] };
}

export function declareApis(
  gcpProject: pulumi.Input<string>,
  enable: boolean,
  apis: readonly GcpApi[],
): StackApis {
  if (!enable || apis.length === 0) return { opts: () => ({}) };
  const component = new project.ProjectApis("apis", { project: gcpProject, apis: [...apis] });
  return { component, opts: (needed) => ({ dependsOn: component.dependsOn(needed) }) };
}

/**
 * Every API the stack file's components call: the union of each component's `requiredApis` over
 * the args the stack gives it (channels stand in by count: only whether there are any matters).
 */
export function stackApis(config: StackConfig): GcpApi[] {
  const m = config["taskstack:monitoring"];
  const channels = m.notificationChannels.length + m.pagerDuty.length + m.slack.length;
  const ids: string[] = channels > 0 ? ["channel"] : [];
  const needed = new Set<GcpApi>();
  const add = (apis: readonly GcpApi[]) => apis.forEach((a) => needed.add(a));
  if (channels > 0) add(monitoring.NotificationChannels.requiredApis());
  for (const t of config["taskstack:messaging"].topics) {
    add(messaging.PubSubTopic.requiredApis(pubSubTopicArgsFor(t, config, ids)));
    // The stack's own backlog alert on each subscription.
    if (channels > 0 && t.subscriptions.length > 0) add([gcpApis.monitoring]);
  }
  for (const q of config["taskstack:messaging"].queues) {
    add(messaging.CloudTasksQueue.requiredApis(queueArgsFor(q, config, ids)));
  }
  for (const args of stackJobArgs(config, ids)) {
    add(scheduling.CloudSchedulerJob.requiredApis(args.args));
  }
  for (const inst of config["taskstack:spanner"].instances) {
    add(data.SpannerScheduledBackup.requiredApis(backupArgs(config, inst, ids)));
  }
  return [...needed].sort();
}
