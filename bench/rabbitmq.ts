// The RabbitMQ variants `npm run bench` compares: N clusters through messaging.RabbitMqCluster, and
// the very same provider resources declared by hand. The hand-written variant uses the same pure
// renderers (rabbitmq.conf, definitions, pod spec): what is measured is the component itself,
// its validation and registration, not the text it renders. test/bench keeps them in step.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { messaging } from "../components";
import {
  parseRabbitMqVersion,
  quantityBytes,
  rabbitMqPorts,
  rabbitPasswordHash,
  renderDefinitions,
  renderEnabledPlugins,
  renderRabbitMqConf,
} from "../components/messaging/rabbitmq-config";
import type { RabbitMqVersion } from "../components/messaging/rabbitmq-config";
import {
  configHash,
  credentialDigest,
  rabbitMqPodSpec,
} from "../components/messaging/rabbitmq-pod";
import type { Plan } from "../testing/assertions";
import { runProgram } from "../testing/engine";
import { collectGarbage, formatTable, median, timed } from "./measure";

export type Variant = "raw" | "component";

const queues = [
  { name: "fast", deadLetterExchange: "dlx", deadLetterRoutingKey: "dead" },
  { name: "dead", bindings: [{ exchange: "dlx" }] },
];
const exchanges = [{ name: "dlx" }];

function componentProgram(n: number): () => void {
  return () => {
    for (let i = 0; i < n; i++) {
      new messaging.RabbitMqCluster(`mq-${i}`, { namespace: "tasks", exchanges, queues });
    }
  };
}

/** What RabbitMqCluster declares for `{ namespace: "tasks", exchanges, queues }`, by hand. */
function rawProgram(n: number): () => void {
  return () => {
    for (let i = 0; i < n; i++) {
      const name = `mq-${i}`;
      const ns = "tasks";
      const version = parseRabbitMqVersion("4.1.4") as RabbitMqVersion;
      const selector = { "app.kubernetes.io/name": "rabbitmq", "app.kubernetes.io/instance": name };
      const labels = {
        ...selector,
        "app.kubernetes.io/component": "broker",
        "app.kubernetes.io/version": "4.1.4",
        "app.kubernetes.io/managed-by": "taskstack",
      };
      const meta = (objectName: string) => ({ name: objectName, namespace: ns, labels });
      const pw = (role: string, length: number) =>
        pulumi.secret(
          new random.RandomPassword(`${name}-${role}`, { length, special: false }).result,
        );
      const cookie = pw("erlang-cookie", 64);
      const admin = pw("admin-password", 32);
      const app = pw("app-password", 32);
      const cookieSecret = new k8s.core.v1.Secret(`${name}-erlang-cookie-secret`, {
        metadata: meta(`${name}-erlang-cookie`),
        type: "Opaque",
        stringData: { ".erlang.cookie": cookie },
      });
      new k8s.core.v1.Secret(`${name}-admin-secret`, {
        metadata: meta(`${name}-admin`),
        type: "kubernetes.io/basic-auth",
        stringData: { username: "admin", password: admin },
      });
      const defs = (a: string, b: string) =>
        renderDefinitions({
          version,
          vhost: "/",
          users: [
            { name: "admin", passwordHash: a, tags: ["administrator"] },
            { name: "app", passwordHash: b, tags: [] },
          ],
          exchanges,
          queues,
        });
      const definitionsSecret = new k8s.core.v1.Secret(`${name}-definitions-secret`, {
        metadata: meta(`${name}-definitions`),
        type: "Opaque",
        stringData: {
          "definitions.json": pulumi.secret(
            pulumi
              .all([admin, app])
              .apply(([a, b]) =>
                JSON.stringify(
                  defs(rabbitPasswordHash("admin", a), rabbitPasswordHash("app", b)),
                  null,
                  2,
                ),
              ),
          ),
        },
      });
      const memory = quantityBytes("2Gi") as number;
      const conf = renderRabbitMqConf({
        version,
        replicas: 3,
        memoryLimitBytes: memory,
        diskFreeLimitBytes: memory,
        headlessServiceName: `${name}-nodes`,
        namespace: ns,
      });
      const plugins = renderEnabledPlugins();
      const config = new k8s.core.v1.ConfigMap(`${name}-config`, {
        metadata: meta(`${name}-config`),
        data: { "rabbitmq.conf": conf, enabled_plugins: plugins },
      });
      const sa = new k8s.core.v1.ServiceAccount(`${name}-service-account`, {
        metadata: meta(name),
        automountServiceAccountToken: false,
      });
      const headless = new k8s.core.v1.Service(`${name}-nodes-service`, {
        metadata: meta(`${name}-nodes`),
        spec: {
          clusterIP: "None",
          publishNotReadyAddresses: true,
          selector,
          ports: [
            { name: "epmd", port: rabbitMqPorts.epmd, targetPort: "epmd" },
            { name: "amqp", port: rabbitMqPorts.amqp, targetPort: "amqp" },
            { name: "cluster-rpc", port: rabbitMqPorts.distribution, targetPort: "cluster-rpc" },
          ],
        },
      });
      const client = new k8s.core.v1.Service(`${name}-client-service`, {
        metadata: meta(name),
        spec: {
          type: "ClusterIP",
          selector,
          ports: [
            { name: "amqp", port: rabbitMqPorts.amqp, targetPort: "amqp" },
            { name: "management", port: rabbitMqPorts.management, targetPort: "management" },
            { name: "prometheus", port: rabbitMqPorts.prometheus, targetPort: "prometheus" },
          ],
        },
      });
      new k8s.apps.v1.StatefulSet(`${name}-statefulset`, {
        metadata: meta(name),
        spec: {
          serviceName: headless.metadata.name,
          replicas: 3,
          podManagementPolicy: "Parallel",
          updateStrategy: { type: "RollingUpdate" },
          selector: { matchLabels: selector },
          template: {
            metadata: {
              labels,
              annotations: {
                "taskstack.dev/config-hash": pulumi.unsecret(
                  pulumi
                    .all([admin, app, cookie])
                    .apply(([a, b, c]) =>
                      configHash(
                        conf,
                        plugins,
                        JSON.stringify(defs("[secret]", "[secret]")),
                        credentialDigest("admin", a),
                        credentialDigest("app", b),
                        credentialDigest("erlang-cookie", c),
                      ),
                    ),
                ),
              },
            },
            spec: rabbitMqPodSpec({
              image: "docker.io/library/rabbitmq:4.1.4",
              version,
              replicas: 3,
              grace: 3600,
              delayStart: 30,
              cpu: "1",
              memory: "2Gi",
              selector,
              nodeDomain: `${name}-nodes.${ns}.svc.cluster.local`,
              serviceAccountName: sa.metadata.name,
              automountServiceAccountToken: false,
              antiAffinity: "required",
              zoneSpread: "ScheduleAnyway",
              configMapName: config.metadata.name,
              definitionsSecretName: definitionsSecret.metadata.name,
              cookieSecretName: cookieSecret.metadata.name,
            }),
          },
          volumeClaimTemplates: [
            {
              metadata: { name: "data", labels: selector },
              spec: {
                accessModes: ["ReadWriteOnce"],
                resources: { requests: { storage: "20Gi" } },
              },
            },
          ],
        },
      });
      new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, {
        metadata: meta(name),
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      });
      new k8s.core.v1.Secret(`${name}-broker-secret`, {
        metadata: meta(`${name}-broker`),
        type: "Opaque",
        stringData: {
          url: pulumi.secret(
            pulumi.interpolate`amqp://app:${app}@${client.metadata.name}.${ns}.svc.cluster.local:5672/%2F`,
          ),
        },
      });
    }
  };
}

export const programs: Record<Variant, (n: number) => () => void> = {
  raw: rawProgram,
  component: componentProgram,
};

/** Provider resources as `type name → inputs` (secrets serialize as "[secret]"). */
function providerResources(plan: Plan): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of plan.resources)
    if (r.custom) out.set(`${r.type} ${r.name}`, JSON.stringify(r.inputs));
  return out;
}

/** Throws unless both variants declared the same provider resources with the same inputs. */
export function assertSameWork(n: number, raw: Plan, component: Plan): number {
  const [a, b] = [providerResources(raw), providerResources(component)];
  for (const [key, inputs] of b) {
    const other = a.get(key);
    if (other === undefined) throw new Error(`bench: N=${n}: raw variant does not declare ${key}`);
    if (other !== inputs) {
      throw new Error(
        `bench: N=${n}: inputs of ${key} differ:\n  raw             ${other}\n  RabbitMqCluster ${inputs}`,
      );
    }
  }
  if (a.size !== b.size)
    throw new Error(`bench: N=${n}: raw declares ${a.size} resources, RabbitMqCluster ${b.size}`);
  return b.size;
}

async function run(variant: Variant, n: number): Promise<{ ms: number; plan: Plan }> {
  collectGarbage();
  const { ms, value } = await timed(() => runProgram(programs[variant](n), { project: "bench" }));
  return { ms, plan: value };
}

/** `npm run bench`'s RabbitMQ table: median wall time of both variants and their ratio. */
export async function benchRabbitMq(quick: boolean): Promise<string> {
  const sizes: readonly (readonly [number, number])[] = quick
    ? [[5, 1]]
    : [
        [10, 3],
        [50, 2],
      ];
  const rows: string[][] = [];
  for (const [n, rounds] of sizes) {
    const raw = await run("raw", n);
    const component = await run("component", n);
    const resources = assertSameWork(n, raw.plan, component.plan);
    const samples: Record<Variant, number[]> = { raw: [raw.ms], component: [component.ms] };
    for (let round = 1; round < rounds; round++) {
      const order: Variant[] = round % 2 === 0 ? ["raw", "component"] : ["component", "raw"];
      for (const v of order) samples[v].push((await run(v, n)).ms);
    }
    const [r, c] = [median(samples.raw), median(samples.component)];
    rows.push([String(n), String(resources), r.toFixed(0), c.toFixed(0), (c / r).toFixed(2)]);
    process.stderr.write(`measured RabbitMQ N=${n}\n`);
  }
  return [
    "RabbitMqCluster vs the same raw @pulumi/kubernetes and @pulumi/random resources, median wall time",
    "(13 provider resources per three-node cluster; both variants use the same pure renderers)\n",
    formatTable(["N", "resources", "raw ms", "RabbitMqCluster ms", "ratio"], rows),
  ].join("\n");
}
