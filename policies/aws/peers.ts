import { requirePeers } from "../../lib/peers";

// Imported first by ./index.ts, so a missing SDK is named before anything loads it.
requirePeers("taskstack/policies/aws", ["@pulumi/policy", "@pulumi/pulumi", "@pulumi/aws"]);
