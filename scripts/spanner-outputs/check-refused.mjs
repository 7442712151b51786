// Checks `pulumi stack export` after `up` of scripts/spanner-outputs/program.ts#badInstance: the
// instance id "Commerce_DB" reached no resource but the instance itself, and none of the backup's
// resources that name the instance (its accounts, function, jobs, grant, metrics, alerts) exists.
// Prints one line; exits 1 naming what is wrong.
import { readFileSync } from "node:fs";

const resources = JSON.parse(readFileSync(process.argv[2], "utf8")).deployment.resources ?? [];
const name = (r) => r.urn.split("::").pop();
const carrying = resources.filter(
  (r) =>
    r.type !== "gcp:spanner/instance:Instance" &&
    JSON.stringify(r.inputs ?? {}).includes("Commerce_DB"),
);
const naming = resources.filter((r) =>
  /^backups-(scheduler-sa|function-sa|function|backup-writer|.*-job|.*-metric|.*-alert)$/.test(
    name(r),
  ),
);
if (carrying.length > 0 || naming.length > 0) {
  console.error(`created with the bad id: ${[...carrying, ...naming].map(name).join(", ")}`);
  process.exit(1);
}
const created = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
console.log(`created only what does not name the instance: ${created.map(name).sort().join(", ")}`);
