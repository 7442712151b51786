import { requirePeers } from "../lib/peers";

// Imported first by ./rules.ts: the whole pack needs every cloud's SDK.
requirePeers("taskstack/policies", [
  "@pulumi/policy",
  "@pulumi/pulumi",
  "@pulumi/gcp",
  "@pulumi/aws",
  "@pulumi/kubernetes",
]);
