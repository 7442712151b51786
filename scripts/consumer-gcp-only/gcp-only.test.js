// A Google-Cloud-only project: taskstack/gcp works with only @pulumi/pulumi and @pulumi/gcp
// installed, loads no other provider SDK, and the other clouds' entries name what is missing.
"use strict";
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const { test } = require("node:test");

/** Runs a snippet in a fresh Node process and returns what it printed on stdout. */
function node(code) {
  const result = spawnSync(process.execPath, ["-e", code], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

test("only @pulumi/pulumi and @pulumi/gcp are installed", () => {
  for (const absent of ["@pulumi/aws", "@pulumi/kubernetes", "@pulumi/random"]) {
    assert.throws(() => require.resolve(absent), { code: "MODULE_NOT_FOUND" }, absent);
  }
  require.resolve("@pulumi/gcp");
});

test("taskstack/gcp loads the Google Cloud components and no other provider SDK", () => {
  const run = node(`
    const t = require("taskstack/gcp");
    const loaded = Object.keys(require.cache)
      .map((f) => /node_modules[\\\\/](@pulumi[\\\\/][a-z]+)[\\\\/]/.exec(f)?.[1])
      .filter(Boolean).map((m) => m.replace("\\\\", "/"));
    console.log(JSON.stringify({
      exports: ["PubSubTopic", "CloudTasksQueue", "CloudSchedulerJob", "SpannerScheduledBackup", "NotificationChannels"].filter((n) => typeof t[n] === "function"),
      sdks: [...new Set(loaded)].sort(),
    }));
  `);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), {
    exports: [
      "PubSubTopic",
      "CloudTasksQueue",
      "CloudSchedulerJob",
      "SpannerScheduledBackup",
      "NotificationChannels",
    ],
    sdks: ["@pulumi/gcp", "@pulumi/pulumi"],
  });
});

test("a topic plans under the test kit in the GCP-only project", async () => {
  const { PubSubTopic } = require("taskstack/gcp");
  const { runProgram } = require("taskstack/testing");
  const plan = await runProgram(() => {
    new PubSubTopic("orders", { subscriptions: [{ name: "worker" }] });
  });
  plan.hasResource("gcp:pubsub/subscription:Subscription", {
    name: "orders-worker",
    expirationPolicy: { ttl: "" },
  });
});

test("the other clouds' entries name the SDK to install", () => {
  const aws = node(`require("taskstack/aws")`);
  assert.notEqual(aws.status, 0);
  assert.match(
    aws.stderr,
    /taskstack\/aws needs @pulumi\/aws, which is not installed: run `npm install @pulumi\/aws`/,
  );
  const k8s = node(`require("taskstack/kubernetes")`);
  assert.notEqual(k8s.status, 0);
  assert.match(
    k8s.stderr,
    /taskstack\/kubernetes needs @pulumi\/kubernetes and @pulumi\/random, which are not installed: run `npm install @pulumi\/kubernetes @pulumi\/random`/,
  );
});

test("taskstack/policies/gcp names @pulumi/policy when the project has not installed it", () => {
  const run = node(`require("taskstack/policies/gcp")`);
  assert.notEqual(run.status, 0);
  assert.match(
    run.stderr,
    /taskstack\/policies\/gcp needs @pulumi\/policy, which is not installed: run `npm install @pulumi\/policy`/,
  );
});
