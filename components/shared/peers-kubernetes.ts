import { requirePeers } from "../../lib/peers";

requirePeers("taskstack/kubernetes", ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/random"]);
