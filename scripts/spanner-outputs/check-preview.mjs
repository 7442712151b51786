// Checks `pulumi preview --json` of scripts/spanner-outputs/program.ts#unknownInPreview: the
// instance's name is unknown until `up`, so what names the instance is unknown, and what does not
// (metric names, the project, channels) is known. Prints one line; exits 1 naming what is wrong.
import { readFileSync } from "node:fs";

// The engine's marker for a value unknown in a preview (pulumi/pulumi sdk/go/common/resource/plugin).
const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const preview = JSON.parse(readFileSync(process.argv[2], "utf8"));
const inputs = (name) => {
  const step = preview.steps.find((s) => s.urn.endsWith(`::${name}`));
  if (step === undefined) throw new Error(`no step for ${name}`);
  return step.newState.inputs;
};
const problems = [];
const expect = (what, actual, expected) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    problems.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
};
const metric = inputs("backups-create-backup-errors-metric");
expect("metric filter", metric.filter, unknown);
expect("metric name", metric.name, "spanner_backup_backups_create_backup_errors");
expect("metric project", metric.project, "acme-shop-test");
const alert = inputs("backups-create-backup-errors-alert");
expect("alert displayName", alert.displayName, unknown);
expect("alert channels", alert.notificationChannels, [
  "projects/acme-shop-test/notificationChannels/1",
]);
expect("backup writer instance", inputs("backups-backup-writer").instance, unknown);
const fn = inputs("backups-function");
expect("function databases", fn.serviceConfig?.environmentVariables?.BACKUP_DATABASES, unknown);
expect("function name", fn.name, "backups");
const creates = preview.steps.filter((s) => s.op === "create").length;
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(
  `preview succeeds with the instance unknown (${creates} creates): what names it is unknown, the rest known`,
);
