import { requirePeers } from "./peers";

requirePeers("taskstack/gcp", ["@pulumi/pulumi", "@pulumi/gcp"]);
