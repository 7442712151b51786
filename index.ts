// The entry `pulumi up` runs (Pulumi.yaml `main`). It lives at the repository root because the
// Node.js language host takes the entry file's directory as the program directory and looks for
// package.json and node_modules there to know the provider plugins a program needs before it runs
// (`pulumi install`, runs with automatic plugin acquisition off). With `main: stacks/index.ts` that
// directory would be stacks/, which has neither.
import { main } from "./stacks/program";

export = main;
