import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { configMapTextEntries } from "../../workload";

/** A data entry that is a RabbitMQ configuration file (new-style `key = value`). */
function isRabbitMqConf(key: string, text: string): boolean {
  if (key === "rabbitmq.conf") return true;
  return (
    key.endsWith(".conf") &&
    /^\s*(cluster_partition_handling|cluster_formation\.|listeners\.tcp|vm_memory_high_watermark)/m.test(
      text,
    )
  );
}

/**
 * The last value a sysctl-format config gives `key`. A value may be followed by ` # comment`:
 * in cuttlefish's grammar (kyorai/cuttlefish `conf_parse.peg`, which RabbitMQ reads rabbitmq.conf
 * with) an unquoted value ends at `#`. Entries of one ConfigMap mounted into
 * /etc/rabbitmq/conf.d are read as one file, in name order, so the last one wins.
 */
function setting(text: string, key: string): string | undefined {
  let found: string | undefined;
  const re = new RegExp(`^\\s*${key.replace(/\./g, "\\.")}\\s*=\\s*([^\\s#]+)\\s*(?:#.*)?$`, "gm");
  for (const m of text.matchAll(re)) found = m[1];
  return found;
}

const fix = "Set cluster_partition_handling = pause_minority.";

/**
 * RabbitMQ's default `cluster_partition_handling = ignore` lets both sides of a network split keep
 * accepting writes: split brain, and messages lost when it heals. `pause_minority` needs an odd
 * node count so that one side always holds a majority.
 */
export const kubernetesCoreConfigmapConfigureRabbitmqPartitionHandling: ResourceValidationPolicy = {
  name: "kubernetes-core-configmap-configure-rabbitmq-partition-handling",
  description:
    "A RabbitMQ configuration in a ConfigMap must set cluster_partition_handling = pause_minority, and its target cluster size must be odd.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(k8s.core.v1.ConfigMap, (_cm, args, reportViolation) => {
    const entries = configMapTextEntries(args.props)
      .filter(([key, text]) => isRabbitMqConf(key, text))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return;
    const keys = entries.map(([key]) => key).join(", ");
    // One config, as RabbitMQ reads rabbitmq.conf and conf.d/*.conf together.
    const text = entries.map(([, t]) => t).join("\n");
    const mode = setting(text, "cluster_partition_handling");
    if (mode === undefined) {
      reportViolation(
        `RabbitMQ config ${keys} does not set cluster_partition_handling, so RabbitMQ uses ignore and both sides of a network partition keep accepting writes (split brain). ${fix}`,
      );
    } else if (mode !== "pause_minority") {
      reportViolation(
        `RabbitMQ config ${keys} sets cluster_partition_handling = ${mode}; only pause_minority stops the minority side from accepting writes a heal would throw away. ${fix}`,
      );
    }
    const size = setting(text, "cluster_formation.target_cluster_size_hint");
    if (size !== undefined && Number(size) % 2 === 0) {
      reportViolation(
        `RabbitMQ config ${keys} targets ${size} nodes (cluster_formation.target_cluster_size_hint); with an even count a split can leave two equal halves and pause_minority pauses both. Use ${Number(size) - 1} or ${Number(size) + 1} nodes.`,
      );
    }
  }),
};
