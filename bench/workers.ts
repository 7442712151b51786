// The worker-pool variants `npm run bench` compares: N Celery worker pools (a fast and a slow
// queue each) through workers.CeleryWorkerPool, and the very same Kubernetes objects written by
// hand. test/bench/workers.test.ts keeps them doing the same work.
import * as k8s from "@pulumi/kubernetes";
import { workers } from "../components";
import {
  celeryBootstrap,
  celeryBootstrapHash,
  renderCeleryBootstrap,
} from "../components/workers/celery-bootstrap";
import type { Plan } from "../testing/assertions";
import { runProgram } from "../testing/engine";
import { collectGarbage, formatTable, median, timed } from "./measure";

export type Variant = "raw" | "component";

const resources = {
  requests: { cpu: "250m", memory: "256Mi" },
  limits: { cpu: "1", memory: "1Gi" },
};
const queues = [
  { name: "fast", taskTimeLimitSeconds: 60 },
  { name: "slow", taskTimeLimitSeconds: 1800 },
] as const;
const image = "ghcr.io/acme/shop-worker:2.3.0";

function componentProgram(n: number): () => void {
  return () => {
    for (let i = 0; i < n; i++) {
      new workers.CeleryWorkerPool(`pool-${i}`, {
        namespace: "bench",
        image,
        app: "shop.worker",
        brokerUrlSecret: { name: "tasks-broker" },
        queues: queues.map((q) => ({ ...q, resources })),
      });
    }
  };
}

/** What CeleryWorkerPool declares for those args, written out by hand. */
function rawProgram(n: number): () => void {
  const heartbeat = workers.heartbeatCommand("/tmp/celery-worker-heartbeat", 2);
  return () => {
    for (let i = 0; i < n; i++) {
      const pool = `pool-${i}`;
      const bootstrap = renderCeleryBootstrap({
        pool,
        app: "shop.worker",
        queues: queues.map((q) => ({ name: q.name, type: "quorum", acksLate: true })),
        heartbeatFile: "/tmp/celery-worker-heartbeat",
      });
      const bootstrapName = `${pool}-celery-bootstrap`;
      new k8s.core.v1.ConfigMap(bootstrapName, {
        metadata: {
          name: bootstrapName,
          namespace: "bench",
          labels: {
            "app.kubernetes.io/name": pool,
            "app.kubernetes.io/component": "celery-bootstrap",
            "app.kubernetes.io/managed-by": "taskstack",
          },
        },
        data: { [celeryBootstrap.file]: bootstrap },
      });
      for (const q of queues) {
        const name = `${pool}-${q.name}`;
        const selector = { "app.kubernetes.io/name": pool, "app.kubernetes.io/instance": name };
        const labels = {
          ...selector,
          "app.kubernetes.io/component": "celery-worker",
          "app.kubernetes.io/managed-by": "taskstack",
          "taskstack.dev/queue": q.name,
        };
        const metadata = { name, namespace: "bench", labels };
        new k8s.apps.v1.Deployment(`${name}-deployment`, {
          metadata,
          spec: {
            replicas: 1,
            selector: { matchLabels: selector },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
            template: {
              metadata: {
                labels,
                annotations: {
                  "taskstack.dev/celery-bootstrap-hash": celeryBootstrapHash(bootstrap),
                },
              },
              spec: {
                terminationGracePeriodSeconds: q.taskTimeLimitSeconds + 30,
                automountServiceAccountToken: false,
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: 65532,
                  runAsGroup: 65532,
                  fsGroup: 65532,
                  seccompProfile: { type: "RuntimeDefault" },
                },
                volumes: [
                  { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
                  {
                    name: "celery-bootstrap",
                    configMap: {
                      name: bootstrapName,
                      defaultMode: 0o444,
                      items: [{ key: celeryBootstrap.file, path: celeryBootstrap.file }],
                    },
                  },
                ],
                containers: [
                  {
                    name: "worker",
                    image,
                    command: ["celery", "--app", celeryBootstrap.module, "worker"],
                    args: [
                      `--queues=${q.name}`,
                      `--hostname=${q.name}@%h`,
                      "--concurrency=2",
                      "--prefetch-multiplier=1",
                      `--time-limit=${q.taskTimeLimitSeconds}`,
                      "--without-gossip",
                      "--without-mingle",
                      "--loglevel=INFO",
                    ],
                    env: [
                      { name: "PYTHONPATH", value: celeryBootstrap.dir },
                      { name: "TASKSTACK_CELERY_QUEUE", value: q.name },
                      {
                        name: "CELERY_BROKER_URL",
                        valueFrom: { secretKeyRef: { name: "tasks-broker", key: "url" } },
                      },
                    ],
                    resources,
                    securityContext: {
                      runAsNonRoot: true,
                      runAsUser: 65532,
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      privileged: false,
                      capabilities: { drop: ["ALL"] },
                    },
                    volumeMounts: [
                      { name: "tmp", mountPath: "/tmp" },
                      { name: "celery-bootstrap", mountPath: celeryBootstrap.dir, readOnly: true },
                    ],
                    startupProbe: {
                      exec: { command: heartbeat },
                      periodSeconds: 10,
                      failureThreshold: 30,
                      timeoutSeconds: 5,
                    },
                    livenessProbe: {
                      exec: { command: heartbeat },
                      periodSeconds: 30,
                      failureThreshold: 3,
                      timeoutSeconds: 5,
                    },
                  },
                ],
              },
            },
          },
        });
        new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, {
          metadata,
          spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
        });
      }
    }
  };
}

export const programs: Record<Variant, (n: number) => () => void> = {
  raw: rawProgram,
  component: componentProgram,
};

/** Provider resources as `type name → inputs`. */
function providerResources(plan: Plan): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of plan.resources) {
    if (r.custom) out.set(`${r.type} ${r.name}`, JSON.stringify(r.inputs));
  }
  return out;
}

/**
 * Throws unless both variants declared the same provider resources (logical names and inputs).
 * Returns how many that is.
 */
export function assertSameWork(n: number, raw: Plan, component: Plan): number {
  const [a, b] = [providerResources(raw), providerResources(component)];
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  const diffs = keys.filter((k) => a.get(k) !== b.get(k));
  if (diffs.length > 0) {
    throw new Error(
      `bench: N=${n}: the worker-pool variants differ in ${diffs.length} resources, first ${diffs[0]}`,
    );
  }
  return a.size;
}

async function run(variant: Variant, n: number): Promise<{ ms: number; plan: Plan }> {
  collectGarbage();
  const { ms, value } = await timed(() => runProgram(programs[variant](n), { project: "bench" }));
  return { ms, plan: value };
}

/** Measures CeleryWorkerPool against raw objects and returns the table `npm run bench` prints. */
export async function benchWorkers(quick: boolean): Promise<string> {
  const sizes: readonly (readonly [number, number])[] = quick
    ? [[20, 1]]
    : [
        [100, 3],
        [500, 2],
      ];
  const rows: string[][] = [];
  for (const [n, rounds] of sizes) {
    const raw = await run("raw", n);
    const component = await run("component", n);
    const resources = assertSameWork(n, raw.plan, component.plan);
    const samples: Record<Variant, number[]> = { raw: [raw.ms], component: [component.ms] };
    for (let round = 1; round < rounds; round++) {
      const order: Variant[] = round % 2 === 0 ? ["raw", "component"] : ["component", "raw"];
      for (const variant of order) samples[variant].push((await run(variant, n)).ms);
    }
    const [rawMs, componentMs] = [median(samples.raw), median(samples.component)];
    rows.push([
      String(n),
      String(resources),
      rawMs.toFixed(0),
      componentMs.toFixed(0),
      (componentMs / rawMs).toFixed(2),
    ]);
    process.stderr.write(`measured worker pools N=${n} (${rounds} rounds)\n`);
  }
  return [
    "CeleryWorkerPool vs raw @pulumi/kubernetes, 2 queues per pool (Deployment + PDB each) and the bootstrap ConfigMap, median wall time",
    formatTable(["N", "resources", "raw ms", "CeleryWorkerPool ms", "ratio"], rows),
  ].join("\n");
}
