// The policy pack entry point for the Pulumi CLI. Importing this file starts the analyzer's gRPC
// server: tests, the offline runner and the published package import ./rules instead.
import { PolicyPack } from "@pulumi/policy/policy";
import { taskstackPolicies } from "./rules";

new PolicyPack("taskstack", { policies: taskstackPolicies, enforcementLevel: "mandatory" });
