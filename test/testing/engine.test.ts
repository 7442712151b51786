import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  Match,
  Secret,
  declaredBeforeFailure,
  projectNumber,
  runProgram,
  unknownValue,
} from "../../testing";

const TOPIC = "gcp:pubsub/topic:Topic";
const SUB = "gcp:pubsub/subscription:Subscription";

class Box extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("acme:test:Box", name, {}, opts);
    new gcp.pubsub.Topic(
      `${name}-inner`,
      { name: `${name}-inner`, project: "p-1" },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

describe("runProgram", () => {
  it("records type, logical name, parent and inputs of every resource", async () => {
    const plan = await runProgram(
      () => {
        new Box("box");
      },
      { project: "acme" },
    );

    expect(plan.resources.map((r) => [r.type, r.name])).toEqual([
      ["pulumi:pulumi:Stack", "acme-test"],
      ["acme:test:Box", "box"],
      [TOPIC, "box-inner"],
    ]);
    const [stack, box, inner] = plan.resources;
    expect(box?.parent).toBe(stack?.urn);
    expect(inner?.parent).toBe(box?.urn);
    expect(inner?.urn).toBe(
      "urn:pulumi:test::acme::acme:test:Box$gcp:pubsub/topic:Topic::box-inner",
    );
    expect(inner?.custom).toBe(true);
    expect(box?.custom).toBe(false);
    expect(inner?.inputs).toEqual({ name: "box-inner", project: "p-1" });
  });

  it("records the options that matter", async () => {
    const plan = await runProgram(() => {
      const provider = new gcp.Provider("eu", { project: "p-1", region: "europe-west1" });
      const first = new gcp.pubsub.Topic("first", { project: "p-1" });
      new gcp.pubsub.Topic(
        "second",
        { project: "p-1" },
        {
          provider,
          protect: true,
          dependsOn: [first],
          deleteBeforeReplace: true,
          retainOnDelete: true,
          aliases: [{ name: "old-second" }],
          ignoreChanges: ["labels"],
        },
      );
    });
    const second = plan.get(TOPIC, "second");
    const first = plan.get(TOPIC, "first");
    expect(second.protect).toBe(true);
    expect(second.dependsOn).toEqual([first.urn]);
    expect(second.deleteBeforeReplace).toBe(true);
    expect(second.retainOnDelete).toBe(true);
    expect(second.ignoreChanges).toEqual(["labels"]);
    expect(second.aliases).toHaveLength(1);
    expect(second.aliases[0]).toContain("old-second");
    expect(second.provider).toBe(plan.get("pulumi:providers:gcp", "eu").urn);
    expect(first.protect).toBe(false);
    expect(first.provider).toBeUndefined();
  });

  it("keeps secrets secret in inputs, outputs and JSON", async () => {
    const plan = await runProgram(() => {
      new gcp.pubsub.Topic("t-secret", {
        project: "p-1",
        kmsKeyName: pulumi.secret("projects/p/key"),
      });
      return { key: pulumi.secret("hunter2"), plain: "visible" };
    });
    const topic = plan.get(TOPIC, "t-secret");
    expect(topic.inputs["kmsKeyName"]).toBeInstanceOf(Secret);
    plan.hasResource(TOPIC, { kmsKeyName: Match.secret("projects/p/key") });
    expect(() => plan.hasResource(TOPIC, { kmsKeyName: "projects/p/key" })).toThrow(
      "kmsKeyName: value is a secret; use Match.secret",
    );
    expect(topic.outputs["kmsKeyName"]).toBeInstanceOf(Secret);
    expect(plan.outputs["key"]).toBeInstanceOf(Secret);
    expect(plan.outputs["plain"]).toBe("visible");
    const json = JSON.stringify(plan);
    expect(json).not.toContain("hunter2");
    expect(json).not.toContain("projects/p/key");
    expect(json).toContain('"kmsKeyName":"[secret]"');
  });

  it("keeps an output secret when a synthesizer recomputes it from a secret input", async () => {
    const plan = await runProgram(() => {
      new gcp.pubsub.Topic("t-secret", { project: pulumi.secret("hidden-project") });
    });
    const topic = plan.get(TOPIC, "t-secret");
    expect(topic.outputs["project"]).toEqual(new Secret("hidden-project"));
    // Provider-declared secret outputs (here the labels Pulumi manages) are secret too.
    expect(topic.additionalSecretOutputs).toContain("effectiveLabels");
  });

  it("waits for resources declared inside apply", async () => {
    const plan = await runProgram(() => {
      const topic = new gcp.pubsub.Topic("events", { project: "p-1" });
      topic.id.apply((id) => {
        new gcp.pubsub.Subscription("late", { project: "p-1", topic: id });
        return id;
      });
    });
    plan.hasResource(SUB, {
      topic: Match.stringLikeRegexp(/^projects\/p-1\/topics\/events-[0-9a-f]{7}$/),
    });
  });

  it("synthesizes provider outputs deterministically", async () => {
    const program = () => {
      const topic = new gcp.pubsub.Topic("auto", { project: "p-1" });
      const named = new gcp.pubsub.Topic("named", { project: "p-1", name: "orders" });
      const project = gcp.organizations.getProjectOutput({ projectId: "p-1" });
      return { auto: topic.name, autoId: topic.id, namedId: named.id, number: project.number };
    };
    const a = await runProgram(program);
    const b = await runProgram(program);
    expect(a.outputs).toEqual(b.outputs);
    expect(a.outputs["namedId"]).toBe("projects/p-1/topics/orders");
    expect(a.outputs["autoId"]).toBe(`projects/p-1/topics/${String(a.outputs["auto"])}`);
    expect(a.outputs["number"]).toBe(projectNumber("p-1"));
    expect(projectNumber("p-1")).toMatch(/^[1-9][0-9]{11}$/);
  });

  it("fails an unknown invoke with its token", async () => {
    await expect(
      runProgram(() => {
        gcp.pubsub.getTopicOutput({ name: "x" });
      }),
    ).rejects.toThrow("offline engine: no result for invoke 'gcp:pubsub/getTopic:getTopic'");
  });

  it("takes invoke results and resource outputs from the caller", async () => {
    const plan = await runProgram(
      () => ({ labels: gcp.pubsub.getTopicOutput({ name: "x", project: "p" }).labels }),
      { invokes: { "gcp:pubsub/getTopic:getTopic": () => ({ labels: { team: "a" } }) } },
    );
    expect(plan.outputs["labels"]).toEqual({ team: "a" });
  });

  it("fails on a duplicate URN, as the engine does", async () => {
    await expect(
      runProgram(
        () => {
          new gcp.pubsub.Topic("twice", { project: "p" });
          new gcp.pubsub.Topic("twice", { project: "p" });
        },
        { project: "shop" },
      ),
    ).rejects.toThrow(
      "Duplicate resource URN 'urn:pulumi:test::shop::gcp:pubsub/topic:Topic::twice'; try giving it a unique name",
    );
  });

  it("reports what a failed run had declared", async () => {
    const failure = await runProgram(() => {
      new gcp.pubsub.Topic("before", { project: "p" });
      throw new Error("config broke");
    }).catch((err: unknown) => err);
    expect((failure as Error).message).toContain("config broke");
    expect(declaredBeforeFailure(failure).map((r) => r.name)).toContain("before");
  });

  it("feeds config from a stack file, secure values as secret placeholders", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-engine-"));
    fs.writeFileSync(
      path.join(dir, "Pulumi.qa.yaml"),
      [
        "config:",
        "  gcp:project: acme-qa",
        "  replicas: 3",
        "  acme:webhook:",
        "    secure: v1:abcdef==",
        "  acme:nested:",
        "    url: https://x",
        "    token:",
        "      secure: v1:zzz",
      ].join("\n"),
    );
    const plan = await runProgram(
      () => {
        const acme = new pulumi.Config("acme");
        const own = new pulumi.Config("shop");
        return {
          replicas: own.requireNumber("replicas"),
          webhook: acme.requireSecret("webhook"),
          nested: acme.requireSecretObject<{ url: string; token: string }>("nested"),
          project: new pulumi.Config("gcp").require("project"),
        };
      },
      { stack: "qa", stackDir: dir, project: "shop" },
    );
    expect(plan.stack).toBe("qa");
    expect(plan.outputs["replicas"]).toBe(3);
    expect(plan.outputs["project"]).toBe("acme-qa");
    expect(plan.outputs["webhook"]).toEqual(new Secret("[secret acme:webhook]"));
    expect(plan.outputs["nested"]).toEqual(
      new Secret({ url: "https://x", token: "[secret acme:nested]" }),
    );
  });

  it("lets config overrides win over the stack file", async () => {
    const plan = await runProgram(() => ({ region: new pulumi.Config("gcp").require("region") }), {
      config: { "gcp:region": "asia-east1" },
    });
    expect(plan.outputs["region"]).toBe("asia-east1");
  });

  it("names the stacks there are when a stack file is missing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-engine-"));
    fs.writeFileSync(path.join(dir, "Pulumi.a1.yaml"), "config: {}\n");
    await expect(runProgram(() => undefined, { stack: "b2", stackDir: dir })).rejects.toThrow(
      /^stack: expected one of a1 \(a Pulumi\.<stack>\.yaml in .*\), got "b2"$/,
    );
  });
});

describe("runProgram for a consumer's tests", () => {
  it("gives a Secret in config to the program as its value, marked secret", async () => {
    const plan = await runProgram(
      () => {
        const app = new pulumi.Config("app");
        return {
          key: app.requireSecret("pagerDutyKey"),
          nested: app.requireSecretObject<{ token: string }>("slack"),
          plain: app.require("region"),
        };
      },
      {
        project: "app",
        config: {
          pagerDutyKey: new Secret("pd-key"),
          slack: { token: new Secret("xoxb-1") },
          region: "eu",
        },
      },
    );
    expect(plan.outputs["key"]).toEqual(new Secret("pd-key"));
    expect(plan.outputs["nested"]).toEqual(new Secret({ token: "xoxb-1" }));
    expect(plan.outputs["plain"]).toBe("eu");
  });

  it("runs a named stack with no stack file when the test passes its config inline", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-engine-"));
    const plan = await runProgram(() => ({ region: new pulumi.Config("gcp").require("region") }), {
      stack: "prod",
      stackDir: dir,
      config: { "gcp:region": "europe-west1" },
    });
    expect(plan.stack).toBe("prod");
    expect(plan.outputs["region"]).toBe("europe-west1");
  });
});

describe("runProgram as the real engine does it", () => {
  class Outer extends pulumi.ComponentResource {
    constructor(name: string) {
      super("acme:test:Outer", name, {});
      new Box(`${name}-box`, { parent: this });
      this.registerOutputs({});
    }
  }

  it("forms URNs as the engine does: no stack type, the parent's whole type chain", async () => {
    const plan = await runProgram(
      () => {
        new Outer("o");
        new gcp.pubsub.Topic("top", { project: "p" });
      },
      { project: "acme", stack: undefined },
    );
    expect(plan.resources.map((r) => r.urn)).toEqual([
      "urn:pulumi:test::acme::pulumi:pulumi:Stack::acme-test",
      "urn:pulumi:test::acme::acme:test:Outer::o",
      "urn:pulumi:test::acme::gcp:pubsub/topic:Topic::top",
      "urn:pulumi:test::acme::acme:test:Outer$acme:test:Box::o-box",
      "urn:pulumi:test::acme::acme:test:Outer$acme:test:Box$gcp:pubsub/topic:Topic::o-box-inner",
    ]);
  });

  it("gives the program the same URNs as the plan (resource.urn, pulumi.createUrn)", async () => {
    const plan = await runProgram(
      () => {
        const topic = new gcp.pubsub.Topic("t", { project: "p" });
        return { urn: topic.urn, created: pulumi.createUrn("t", "gcp:pubsub/topic:Topic") };
      },
      { project: "acme" },
    );
    const urn = "urn:pulumi:test::acme::gcp:pubsub/topic:Topic::t";
    expect(plan.outputs).toEqual({ urn, created: urn });
    expect(plan.get(TOPIC, "t").urn).toBe(urn);
  });

  // Found by scripts/real-pulumi.sh: the real engine's preview and state hold an archive's
  // contents, each text asset with the SHA-256 of its text; the plan had `assets: {}`.
  it("records an archive's assets, each text with its SHA-256, as the engine's state holds them", async () => {
    const text = 'exports.handler = () => "ok";\n';
    const plan = await runProgram(() => {
      new gcp.storage.BucketObject("o", {
        bucket: "b",
        source: new pulumi.asset.AssetArchive({
          "index.js": new pulumi.asset.StringAsset(text),
          "data.json": new pulumi.asset.FileAsset("data.json"),
        }),
      });
    });
    expect(plan.get("gcp:storage/bucketObject:BucketObject", "o").inputs["source"]).toEqual({
      __pulumiArchive: true,
      assets: {
        "index.js": {
          __pulumiAsset: true,
          text,
          hash: crypto.createHash("sha256").update(text).digest("hex"),
        },
        "data.json": { __pulumiAsset: true, path: "data.json" },
      },
    });
  });

  // Found by scripts/real-pulumi.sh on prod: the engine keeps a secret where it was sent; the
  // SDK's deserialization made the whole enclosing object secret.
  it("keeps a secret nested in an object where the program put it, as the engine records it", async () => {
    const plan = await runProgram(() => {
      new gcp.monitoring.NotificationChannel("pager", {
        type: "pagerduty",
        sensitiveLabels: { serviceKey: pulumi.secret("pd-key") },
      });
    });
    const labels = plan.get("gcp:monitoring/notificationChannel:NotificationChannel", "pager")
      .inputs["sensitiveLabels"] as Record<string, unknown>;
    expect(labels).not.toBeInstanceOf(Secret);
    expect(labels).toEqual({ serviceKey: new Secret("pd-key") });
    expect(labels["serviceKey"]).toBeInstanceOf(Secret);
  });

  // Found by scripts/real-pulumi.sh on staging: a grant of a custom role's name had no role.
  it("synthesizes a custom role's name, so a grant of it names the role", async () => {
    const plan = await runProgram(() => {
      const role = new gcp.projects.IAMCustomRole("r", {
        project: "p-1",
        roleId: "backupLister",
        title: "t",
        permissions: ["spanner.backups.list"],
      });
      new gcp.spanner.InstanceIAMMember("g", {
        project: "p-1",
        instance: "i",
        role: role.name,
        member: "serviceAccount:a@p-1.iam.gserviceaccount.com",
      });
    });
    expect(plan.get("gcp:spanner/instanceIAMMember:InstanceIAMMember", "g").inputs["role"]).toBe(
      "projects/p-1/roles/backupLister",
    );
  });

  // Found by scripts/real-pulumi.sh: the engine records an explicit provider with the plugin
  // version the SDK asked for and its own `__internal` map.
  it("records an explicit provider's inputs with the engine's version and __internal", async () => {
    const plan = await runProgram(() => {
      new gcp.Provider("eu", { project: "p-1", region: "europe-west1" });
    });
    const provider = plan.get("pulumi:providers:gcp", "eu");
    const gcpVersion = (
      JSON.parse(fs.readFileSync(require.resolve("@pulumi/gcp/package.json"), "utf8")) as {
        version: string;
      }
    ).version;
    expect(provider.inputs).toEqual({ project: "p-1", region: "europe-west1" });
    expect(provider.checkedInputs).toEqual({
      project: "p-1",
      region: "europe-west1",
      __internal: {},
      version: gcpVersion,
    });
  });

  it("names the default provider the engine gives a resource: package and the SDK's version", async () => {
    const plan = await runProgram(() => {
      new gcp.pubsub.Topic("t", { project: "p" });
      const eu = new gcp.Provider("eu", { project: "p-1", region: "europe-west1" });
      new gcp.pubsub.Topic("u", { project: "p" }, { provider: eu });
    });
    const [major, minor, patch] = (
      JSON.parse(fs.readFileSync(require.resolve("@pulumi/gcp/package.json"), "utf8")) as {
        version: string;
      }
    ).version.split(".");
    // pulumi/pulumi's ProviderRequest.DefaultName, as the real engine's state names it.
    expect(plan.get(TOPIC, "t").defaultProvider).toBe(
      `urn:pulumi:test::taskstack::pulumi:providers:gcp::default_${major}_${minor}_${patch}`,
    );
    // An explicit provider, and a provider resource itself, have none.
    expect(plan.get(TOPIC, "u").defaultProvider).toBeUndefined();
    expect(plan.get(TOPIC, "u").provider).toBe(plan.get("pulumi:providers:gcp", "eu").urn);
    expect(plan.get("pulumi:providers:gcp", "eu").defaultProvider).toBeUndefined();
  });

  it("records which resources each input property came from", async () => {
    const plan = await runProgram(() => {
      const topic = new gcp.pubsub.Topic("t", { project: "p" });
      new gcp.pubsub.Subscription("s", { project: "p", topic: topic.id });
    });
    const topic = plan.get(TOPIC, "t");
    expect(plan.get(SUB, "s").propertyDependencies).toEqual({ project: [], topic: [topic.urn] });
  });

  it("answers stack references from the stackReferences option, secrets kept secret", async () => {
    const plan = await runProgram(
      () => {
        const network = new pulumi.StackReference("acme/network/prod");
        return {
          vpc: network.requireOutput("vpcId"),
          password: network.getOutput("dbPassword"),
        };
      },
      {
        stackReferences: {
          "acme/network/prod": { vpcId: "vpc-123", dbPassword: new Secret("hunter2") },
        },
      },
    );
    expect(plan.outputs["vpc"]).toBe("vpc-123");
    expect(plan.outputs["password"]).toEqual(new Secret("hunter2"));
    expect(JSON.stringify(plan)).not.toContain("hunter2");
  });

  it("fails a stack reference it was not given, naming it", async () => {
    await expect(
      runProgram(() => new pulumi.StackReference("acme/network/qa").outputs, {
        stackReferences: { "acme/network/prod": {} },
      }),
    ).rejects.toThrow(
      "offline engine: no outputs for stack reference 'acme/network/qa'; pass them in runProgram's `stackReferences` option (known: acme/network/prod)",
    );
  });

  it("runs as pulumi preview with preview: true: computed values are unknown", async () => {
    const applied: string[] = [];
    const plan = await runProgram(
      () => {
        const topic = new gcp.pubsub.Topic("t", { project: "p", name: "orders" });
        topic.id.apply((id) => applied.push(id));
        new gcp.pubsub.Subscription("s", { project: "p", name: "s", topic: topic.id });
        return { id: topic.id, name: topic.name };
      },
      { preview: true },
    );
    expect(plan.preview).toBe(true);
    expect(applied).toEqual([]);
    expect(plan.get(SUB, "s").inputs).toEqual({ project: "p", name: "s", topic: unknownValue });
    expect(plan.get(TOPIC, "t").id).toBeUndefined();
    expect(plan.outputs).toEqual({ id: unknownValue, name: "orders" });
    expect(JSON.parse(JSON.stringify(plan.get(SUB, "s").inputs))).toEqual({
      project: "p",
      name: "s",
      topic: "[unknown]",
    });
  });

  it("plans the same resources, in the same order, with and without the SDK's deployment bookkeeping", async () => {
    const run = async (deploymentBookkeeping: boolean) => {
      // The order callbacks ran in, and the values they saw.
      const events: string[] = [];
      const program = () => {
        new Outer("o");
        const topic = new gcp.pubsub.Topic("t", { project: "p" });
        // Read before the provider answers.
        topic.name.apply((name) => events.push(`name ${name}`));
        new gcp.pubsub.Subscription("s", { project: "p", topic: topic.id });
        topic.id.apply((id) => {
          events.push(`id ${id}`);
          // Read after the provider answered: a property nothing had read before.
          topic.messageRetentionDuration.apply((d) => events.push(`retention ${String(d)}`));
          topic.project.apply((project) => events.push(`project ${project}`));
          new gcp.pubsub.Subscription("late", { project: "p", topic: topic.name });
          new Outer("late-outer");
        });
        const other = new gcp.pubsub.Topic("u", { project: "p", labels: { a: "b" } });
        other.labels.apply((labels) => events.push(`labels ${JSON.stringify(labels)}`));
      };
      const plan = await runProgram(program, { project: "acme", deploymentBookkeeping });
      return { plan: JSON.stringify(plan), events };
    };
    const fast = await run(false);
    const full = await run(true);
    expect(fast.events).toEqual(full.events);
    expect(fast.events).toEqual([
      "id projects/p/topics/t-2884a6a",
      "name t-2884a6a",
      "project p",
      "retention undefined",
      'labels {"a":"b"}',
    ]);
    expect(fast.plan).toBe(full.plan);
  });

  it("gives every declared property of a resource an Output, as the SDK does", async () => {
    let early: pulumi.Output<string> | undefined;
    let topic: gcp.pubsub.Topic | undefined;
    const keys: Record<string, string[]> = {};
    for (const deploymentBookkeeping of [false, true]) {
      await runProgram(
        () => {
          topic = new gcp.pubsub.Topic("t", { project: "p", name: "orders" });
          early = topic.name;
        },
        { deploymentBookkeeping },
      );
      keys[String(deploymentBookkeeping)] = Object.keys(topic ?? {});
    }
    expect(keys["false"]).toEqual(keys["true"]);
    expect(keys["false"]).toEqual(expect.arrayContaining(["name", "labels", "kmsKeyName"]));
    // After the run, each is a plain data property holding the Output, as the SDK leaves it.
    const descriptor = Object.getOwnPropertyDescriptor(topic, "kmsKeyName");
    expect(descriptor).toMatchObject({ writable: true, enumerable: true, configurable: true });
    expect(pulumi.Output.isInstance(descriptor?.value)).toBe(true);
    expect(topic?.name).toBe(early);
    await expect(new Promise((resolve) => topic?.name.apply(resolve))).resolves.toBe("orders");
  });

  it("hands the SDK back as it found it after a run, for the caller's own mocks", async () => {
    /* eslint-disable @typescript-eslint/no-require-imports -- the SDK's internals, by path */
    const rpc = require("@pulumi/pulumi/runtime/rpc") as { transferProperties: unknown };
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
      debuggablePromise: unknown;
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
    const before = [rpc.transferProperties, debuggable.debuggablePromise];
    let during: unknown[] = [];
    await runProgram(() => {
      during = [rpc.transferProperties, debuggable.debuggablePromise];
    });
    expect(during[0]).not.toBe(before[0]);
    expect(during[1]).not.toBe(before[1]);
    expect([rpc.transferProperties, debuggable.debuggablePromise]).toEqual(before);
  });

  it("keeps a useful stack trace, pointing at the user's code, on the program's own error", async () => {
    const failure = await runProgram(() => {
      const topic = new gcp.pubsub.Topic("t", { project: "p" });
      return topic.id.apply((id) => {
        if (id) throw new Error("the program's own bug");
        return id;
      });
    }).then(
      () => new Error("expected the run to fail"),
      (err: unknown) => err as Error,
    );
    expect(failure.message).toContain("the program's own bug");
    expect(failure.stack).toMatch(/test\/testing\/engine\.test\.ts:\d+:\d+/);
  });
});

describe("Plan assertions", () => {
  it("explains the closest mismatch when no resource matches", async () => {
    const plan = await runProgram(() => {
      new gcp.pubsub.Topic("t-a", { project: "p", name: "orders" });
    });
    expect(() => plan.hasResource(TOPIC, { name: "invoices" })).toThrow(
      'no gcp:pubsub/topic:Topic resource matches {"name":"invoices"}:\n  t-a: name: expected "invoices", got "orders"',
    );
    expect(() => plan.hasResource(SUB, {})).toThrow(
      "no gcp:pubsub/subscription:Subscription resource was declared",
    );
    expect(() => plan.resourceCountIs(TOPIC, 2)).toThrow(
      "expected 2 gcp:pubsub/topic:Topic resources, found 1",
    );
    expect(plan.findResources(gcp.pubsub.Topic, { name: "orders" })).toHaveLength(1);
    expect(plan.findResources(gcp.pubsub.Topic, { labels: Match.absent() })).toHaveLength(1);
    expect(plan.findResources(gcp.pubsub.Topic, { project: Match.exact("q") })).toHaveLength(0);
  });
});
