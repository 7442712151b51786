// taskstack's components served as a Pulumi provider plugin, the way Pulumi's Node.js language
// host serves a source-based component package (PulumiPlugin.yaml, `runtime: nodejs`) to Python,
// Go, .NET and YAML programs: the schema comes from Pulumi's component analyzer over the package,
// and each Construct call builds the component in this process. bin/pulumi-resource-taskstack
// starts it; scripts/component-provider.sh drives it with the real CLI.
import { join } from "node:path";
import {
  componentProviderHost,
  getPulumiComponents,
} from "@pulumi/pulumi/provider/experimental/provider";
import * as components from "../../components";

void componentProviderHost({
  dirname: join(__dirname, "../.."),
  name: "taskstack",
  components: getPulumiComponents(components),
});
