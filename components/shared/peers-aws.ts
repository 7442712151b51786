import { requirePeers } from "./peers";

requirePeers("taskstack/aws", ["@pulumi/pulumi", "@pulumi/aws"]);
