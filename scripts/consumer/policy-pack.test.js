// The pack directory the package ships (node_modules/taskstack/pack), run as the Pulumi CLI runs
// `pulumi preview --policy-pack node_modules/taskstack/pack`: @pulumi/pulumi's run-policy-pack in
// that directory, spoken to over the analyzer's gRPC protocol (./analyzer-client.js).
"use strict";
const assert = require("node:assert/strict");
const path = require("node:path");
const { after, before, test } = require("node:test");
const { startPack } = require("./analyzer-client");

const packDir = path.join(__dirname, "node_modules", "taskstack", "pack");
const version = require("taskstack/package.json").version;
const urn = (type, name) => `urn:pulumi:prod::shop::${type}::${name}`;
const subType = "gcp:pubsub/subscription:Subscription";
const expiration = "gcp-pubsub-subscription-disallow-expiration";
const subscription = (name, ttl, labels = {}) => ({
  type: subType,
  name,
  urn: urn(subType, name),
  props: {
    name,
    project: "shop-prod",
    topic: "projects/shop-prod/topics/orders",
    ackDeadlineSeconds: 60,
    retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
    expirationPolicy: { ttl },
    deadLetterPolicy: { deadLetterTopic: "projects/shop-prod/topics/dlq", maxDeliveryAttempts: 10 },
    labels,
  },
});
let pack;

before(async () => {
  pack = await startPack(packDir);
});
after(() => pack?.stop());

test("the package ships the pack directory: PulumiPolicy.yaml, index.js, package.json", () => {
  const fs = require("node:fs");
  for (const file of ["PulumiPolicy.yaml", "index.js", "package.json"]) {
    assert.ok(fs.existsSync(path.join(packDir, file)), file);
  }
  assert.match(
    fs.readFileSync(path.join(packDir, "PulumiPolicy.yaml"), "utf8"),
    /^runtime: nodejs$/m,
  );
  const pkg = require(path.join(packDir, "package.json"));
  assert.equal(pkg.version, version);
  assert.equal(pkg.dependencies.taskstack, version);
});

test("GetAnalyzerInfo names the taskstack pack, its version and every policy", async () => {
  const info = await pack.info();
  assert.equal(info.name, "taskstack");
  assert.equal(info.version, version);
  const names = info.policies.map((p) => p.name);
  assert.deepEqual(
    [...names].sort(),
    require("taskstack/policies")
      .taskstackPolicies.map((p) => p.name)
      .sort(),
  );
  assert.ok(names.includes(expiration));
});

test("Analyze: a compliant subscription passes; an expiring one gets the mandatory violation", async () => {
  await pack.configure({ [expiration]: { enforcementLevel: "mandatory" } });
  assert.deepEqual((await pack.analyze(subscription("orders-worker", ""))).diagnostics, []);
  const bad = await pack.analyze(subscription("orders-audit", "86400s"));
  assert.deepEqual(
    bad.diagnostics.map((d) => [
      d.policyName,
      d.enforcementLevel,
      d.policyPackName,
      d.policyPackVersion,
    ]),
    [[expiration, "mandatory", "taskstack", version]],
  );
  const [description, detail] = bad.diagnostics[0].message.split("\n");
  assert.equal(
    description,
    require("taskstack/policies").gcpPubsubSubscriptionDisallowExpiration.description,
  );
  assert.match(detail, /expirationPolicy\.ttl is "86400s"/);
});

test("exemptions: by URN in the config and by label, reported as not applicable with the reason", async () => {
  await pack.configure({
    [expiration]: {
      enforcementLevel: "mandatory",
      exemptions: [{ urn: urn(subType, "orders-audit"), reason: "Audit tail; may lapse" }],
    },
  });
  const byConfig = await pack.analyze(subscription("orders-audit", "86400s"));
  assert.deepEqual(byConfig.diagnostics, []);
  assert.deepEqual(
    byConfig.notApplicable.filter((n) => n.policyName === expiration),
    [{ policyName: expiration, reason: "exempted: Audit tail; may lapse" }],
  );
  const byLabel = await pack.analyze(
    subscription("orders-replay", "86400s", {
      "taskstack-policy-exempt": expiration,
      "taskstack-policy-exempt-reason": "replayed-daily",
    }),
  );
  assert.deepEqual(byLabel.diagnostics, []);
  assert.deepEqual(
    byLabel.notApplicable.filter((n) => n.policyName === expiration),
    [{ policyName: expiration, reason: "exempted: replayed-daily" }],
  );
  // Another resource, not exempt, is still caught.
  const other = await pack.analyze(subscription("orders-billing", "86400s"));
  assert.deepEqual(
    other.diagnostics.map((d) => d.policyName),
    [expiration],
  );
});
