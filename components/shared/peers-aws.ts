import { requirePeers } from "../../lib/peers";

requirePeers("taskstack/aws", ["@pulumi/pulumi", "@pulumi/aws"]);
