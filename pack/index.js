// The taskstack policy pack's entry: constructing the pack starts the analyzer's gRPC server the
// Pulumi CLI talks to. Installed, it runs in place (`--policy-pack node_modules/taskstack/pack`,
// resolving taskstack and the SDKs from the project's node_modules); published with
// `pulumi policy publish`, from its own install of ./package.json's dependencies.
"use strict";
const { PolicyPack } = require("@pulumi/policy");
const { taskstackPolicies } = require("taskstack/policies");

new PolicyPack("taskstack", { policies: taskstackPolicies, enforcementLevel: "mandatory" });
