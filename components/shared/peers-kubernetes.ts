import { requirePeers } from "./peers";

requirePeers("taskstack/kubernetes", ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/random"]);
