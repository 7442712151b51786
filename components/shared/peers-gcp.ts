import { requirePeers } from "../../lib/peers";

requirePeers("taskstack/gcp", ["@pulumi/pulumi", "@pulumi/gcp"]);
