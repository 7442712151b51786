# Sourced by scripts/real-pulumi.sh and scripts/component-provider.sh: the real Pulumi CLI's
# environment for a run whose files live in OUT. Builds or reuses the tools (scripts/pulumi-tools.sh),
# puts them and the stand-in providers first on PATH, and gives the CLI its own home, a file
# backend and a passphrase, with no update check and no plugin downloads.
#   real_pulumi_env OUT PASSPHRASE [EXTRA_PATH]
real_pulumi_env() {
  local out="$1" passphrase="$2" extra="${3:-}" repo bin
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  bin="$(bash "$repo/scripts/pulumi-tools.sh" | tail -n 1)" || { echo "building the tools failed" >&2; return 1; }
  export PATH="$bin:$repo/scripts/stand-in-providers/bin${extra:+:$extra}:$PATH"
  export PULUMI_HOME="$out/pulumi-home"
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  export PULUMI_CONFIG_PASSPHRASE="$passphrase"
  export PULUMI_BACKEND_URL="file://$out/backend"
  mkdir -p "$out/backend"
}
