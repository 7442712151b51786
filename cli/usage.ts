// What `taskstack --help` prints. This file imports nothing, so help answers without loading the
// Pulumi engine (bin/taskstack.js prints it before starting anything else).

export const usage = `Usage: taskstack plan [stack] [--json] [--preview] [--details] [--out <dir>]

Runs the stack's Pulumi program offline, under mocks, with stacks/Pulumi.<stack>.yaml, and shows
what \`pulumi up\` would create, with the policy report.

  stack        the stack to plan (default: dev)
  --json       print the plan and policy report as JSON instead of the tree
  --preview    plan as \`pulumi preview\` runs: values known only after \`up\` are [unknown]
  --details    show every input of every resource (alias --wide); by default each resource
               shows its key settings
  --out <dir>  where to write the files (default: out)

Files: <out>/<stack>/ holds exactly this run's files: plan.json, manifests/ (one YAML file per
Kubernetes object) and rabbitmq/<cluster>/ (rabbitmq.conf, enabled_plugins, definitions.json).
They are written to a temporary folder and replace the previous run's only when the run exits 0.
On exit 1 or 2, <out>/<stack>/ is removed, so no earlier run's files pass for this run's.

Exit codes: 0 planned, 1 a mandatory policy was violated or the run failed, 2 invalid config or
arguments.`;

/** True when argv asks for help (what `main` answers with `usage`). */
export function wantsHelp(argv: readonly string[]): boolean {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help")
    return true;
  return command === "plan" && rest.some((a) => a === "--help" || a === "-h");
}
