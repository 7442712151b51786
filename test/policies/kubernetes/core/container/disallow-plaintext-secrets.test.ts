import { describe, expect, it } from "vitest";
import { kubernetesCoreContainerDisallowPlaintextSecrets as policy } from "../../../../../policies/kubernetes";
import { fixtureUrn, policyCases } from "../../../../../testing";
import { changed, compliantWorkloads, container, firstContainer, types } from "../../fixtures";

const fix =
  "Read it from a Secret with valueFrom.secretKeyRef: a plain env value is readable by anyone who can read the workload.";
const argFix =
  "Read the secret into an env var with valueFrom.secretKeyRef and refer to it as $(NAME): an argument is readable by anyone who can read the workload.";
const worker = 'Deployment container "worker" (spec.template.spec.containers[0])';
const withEnv = (env: unknown) => ({
  "spec.template.spec.containers": [{ ...container("worker"), env }],
});
const withArgv = (argv: { command?: unknown; args?: unknown }) => ({
  "spec.template.spec.containers": [{ ...container("worker"), ...argv }],
});

describe("kubernetes-core-container-disallow-plaintext-secrets", () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe("kubernetes-core-container-disallow-plaintext-secrets");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantWorkloads,
      target: "workers",
      cases: [
        {
          title: "a password in plain text",
          set: withEnv([
            { name: "LOG_LEVEL", value: "info" },
            { name: "DB_PASSWORD", value: "hunter2" },
          ]),
          messages: [
            `${worker} env[1] DB_PASSWORD holds a secret-looking value in plain text. ${fix}`,
          ],
        },
        {
          title: "a broker URL with credentials under an innocent name",
          set: withEnv([{ name: "CELERY_BROKER_URL", value: "amqp://shop:s3cret@rabbitmq:5672/" }]),
          messages: [
            `${worker} env[0] CELERY_BROKER_URL holds a secret-looking value in plain text. ${fix}`,
          ],
        },
        {
          title: "a URL without credentials is fine",
          set: withEnv([{ name: "CELERY_BROKER_URL", value: "amqp://rabbitmq:5672/" }]),
          messages: [],
        },
        { title: "an undefined env", set: withEnv(undefined), messages: [] },
        {
          title: "a password as an argument",
          set: withArgv({ args: ["--queues=fast", "--db-password=hunter2"] }),
          messages: [`${worker} args[1] holds a secret-looking value in plain text. ${argFix}`],
        },
        {
          title: "a broker URL with credentials in the command",
          set: withArgv({
            command: ["sh", "-c", "celery --broker amqp://shop:s3cret@rabbitmq:5672/ worker"],
          }),
          messages: [`${worker} command[2] holds a secret-looking value in plain text. ${argFix}`],
        },
        {
          title: "a secret passed by reference, a path or a plain option is fine",
          set: withArgv({
            command: ["/app/run"],
            args: ["--password=$(DB_PASSWORD)", "--token-file=/run/secrets/token", "--limit=5"],
          }),
          messages: [],
        },
        {
          title: "undefined command and args",
          set: withArgv({ command: undefined, args: undefined }),
          messages: [],
        },
        {
          title: "an init container's token argument",
          set: {
            "spec.template.spec.initContainers": [
              { ...container("migrate"), args: ["API_TOKEN=t0k3n"] },
            ],
          },
          messages: [
            `Deployment container "migrate" (spec.template.spec.initContainers[0]) args[0] holds a secret-looking value in plain text. ${argFix}`,
          ],
        },
        {
          title: "a CronJob's token in plain text",
          change: (rs) =>
            changed(rs, "report", (i) => {
              firstContainer(types.cronJob, i)["env"] = [{ name: "API_TOKEN", value: "t0k3n" }];
            }),
          urn: fixtureUrn(types.cronJob, "report"),
          messages: [
            `CronJob container "report" (spec.jobTemplate.spec.template.spec.containers[0]) env[0] API_TOKEN holds a secret-looking value in plain text. ${fix}`,
          ],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
