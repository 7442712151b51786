// An AWS-only project: taskstack/aws works with only @pulumi/pulumi and @pulumi/aws installed,
// and loads no other provider SDK (Cloud DNS validation would load @pulumi/gcp, on demand).
"use strict";
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const { test } = require("node:test");

test("taskstack/aws loads the HTTPS site and no other provider SDK", () => {
  const run = spawnSync(
    process.execPath,
    [
      "-e",
      `const t = require("taskstack/aws");
       const sdks = new Set(Object.keys(require.cache)
         .map((f) => /node_modules[\\\\/](@pulumi[\\\\/][a-z]+)[\\\\/]/.exec(f)?.[1])
         .filter(Boolean).map((m) => m.replace("\\\\", "/")));
       console.log(JSON.stringify({ site: typeof t.HttpsStaticSite, sdks: [...sdks].sort() }));`,
    ],
    { encoding: "utf8" },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout.trim()), {
    site: "function",
    sdks: ["@pulumi/aws", "@pulumi/pulumi"],
  });
});

test("a site with Cloud DNS validation names the SDK it needs", async () => {
  const { HttpsStaticSite } = require("taskstack/aws");
  const { runProgram } = require("taskstack/testing");
  await assert.rejects(
    runProgram(
      () => {
        new HttpsStaticSite("site", {
          domainName: "acme-shop.example",
          aliases: ["www.acme-shop.example"],
          dnsValidation: "cloud-dns",
          cloudDnsManagedZone: "acme-shop",
          cloudDnsProject: "acme-dns",
        });
      },
      { config: { "aws:region": "eu-west-1" } },
    ),
    /dnsValidation "cloud-dns" needs @pulumi\/gcp, which is not installed: run `npm install @pulumi\/gcp`/,
  );
});
