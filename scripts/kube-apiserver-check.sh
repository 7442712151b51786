#!/usr/bin/env bash
# A real Kubernetes API server judges manifests: every YAML file under the given folders is
# server-side dry-run applied (kubectl apply --server-side --dry-run=server, strict field
# validation, warnings as errors) into namespaces labelled Pod Security `restricted` (enforce and
# warn). The server runs its validation, defaulting, admission (Pod Security, which only warns for
# a workload's pod template) and the CronJob time zone database, and nothing is stored.
#
#   scripts/kube-apiserver-check.sh [--report FILE] DIR...
#
# Prints one line per file: "ok" or "REFUSED" and the server's message. Exit 0 when the server
# accepted every object without a warning, 1 when it refused one or warned, 2 on bad arguments (a
# folder that is missing or holds no YAML file). --report writes one JSON object per file
# ({"file","ok","message"}) for tests that assert what the server said.
#
# etcd, kube-apiserver and kubectl come from scripts/kube-tools.sh (built once, cached). Both
# servers listen on 127.0.0.1 only, on free ports, with certificates made here for this run, and
# are stopped (and their files removed) however this script ends. KEDA's CRDs are applied first,
# so ScaledObjects and TriggerAuthentications are judged against KEDA's own schema: they are taken
# at run time from the github.com/kedacore/keda/v2 module (config/crd/bases) through the Go module
# proxy, at KEDA_VERSION.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage="usage: scripts/kube-apiserver-check.sh [--report FILE] DIR..."

report=""
dirs=()
while (($#)); do
  case "$1" in
    --report)
      [[ $# -ge 2 ]] || { echo "kube-apiserver-check: --report: expected a file, got nothing. $usage" >&2; exit 2; }
      report="$2"
      shift 2
      ;;
    -h | --help) echo "$usage"; exit 0 ;;
    -*) echo "kube-apiserver-check: $1: unknown option (expected --report FILE). $usage" >&2; exit 2 ;;
    *) dirs+=("$1"); shift ;;
  esac
done
((${#dirs[@]})) || { echo "kube-apiserver-check: expected at least one folder of manifests, got none. $usage" >&2; exit 2; }

files=()
for dir in "${dirs[@]}"; do
  [[ -d "$dir" ]] || { echo "kube-apiserver-check: $dir: expected a folder of YAML manifests, found no folder" >&2; exit 2; }
  mapfile -t found < <(find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort)
  # A folder with nothing to judge is a mistake upstream (a render that wrote nothing), never a pass.
  ((${#found[@]})) || { echo "kube-apiserver-check: $dir: expected YAML manifests (*.yaml, *.yml), found none" >&2; exit 2; }
  files+=("${found[@]}")
done

# shellcheck source=scripts/kube-apiserver-lib.sh
source "$repo/scripts/kube-apiserver-lib.sh"
kube_apiserver_start
start=$SECONDS

kube_keda_crds

# Every namespace the manifests name or declare exists before they are applied, labelled so that
# Pod Security admission judges pods at `restricted` and warns about workloads' pod templates.
mapfile -t namespaces < <(node -e '
  const fs = require("node:fs");
  const { parseAllDocuments } = require(process.argv[1]);
  const names = new Set(["taskstack-check"]);
  for (const file of process.argv.slice(2)) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, "utf8"))) {
      const o = doc.toJS();
      if (!o || typeof o !== "object") continue;
      const ns = o.metadata && o.metadata.namespace;
      if (typeof ns === "string" && ns) names.add(ns);
      if (o.kind === "Namespace" && o.metadata && typeof o.metadata.name === "string") names.add(o.metadata.name);
    }
  }
  console.log([...names].sort().join("\n"));
' "$repo/node_modules/yaml" "${files[@]}")
for ns in "${namespaces[@]}"; do kube_restricted_namespace "$ns"; done
echo "kube-apiserver-check: namespaces (Pod Security restricted, enforce and warn): ${namespaces[*]}"

[[ -z "$report" ]] || : > "$report"
failed=0
for file in "${files[@]}"; do
  # --validate=strict: an unknown or duplicate field is refused, not dropped.
  if out="$("${kubectl[@]}" apply --server-side --dry-run=server --field-manager taskstack \
    --validate=strict --warnings-as-errors -f "$file" 2>&1)"; then
    ok=true
    echo "ok       $file: ${out//$'\n'/; }"
  else
    ok=false
    failed=$((failed + 1))
    echo "REFUSED  $file:"
    sed 's/^/    /' <<< "$out"
  fi
  if [[ -n "$report" ]]; then
    node -e 'console.log(JSON.stringify({ file: process.argv[1], ok: process.argv[2] === "true", message: process.argv[3] }))' \
      "$file" "$ok" "$out" >> "$report"
  fi
done

echo "kube-apiserver-check: ${#files[@]} files, $failed refused or warned about (Kubernetes API server, $((SECONDS - start))s)"
((failed == 0)) || exit 1
