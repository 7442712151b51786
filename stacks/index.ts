// The entry `pulumi up` runs (Pulumi.yaml `main`). The Node.js language host calls an exported
// function and uses its result as the stack outputs; `export =` keeps that true for CommonJS.
import { main } from "./program";

export = main;
