#!/usr/bin/env bash
# Builds tools/robfig-cron (our batch front end to robfig/cron v3, the library the Kubernetes
# CronJob controller schedules with) into ${TASKSTACK_CACHE:-/var/cache/taskstack}/robfig-cron/,
# unless a binary built from the same sources is already there. The module comes from the Go module
# proxy (github.com/robfig/cron/v3 v3.0.1, pinned in tools/robfig-cron/go.sum).
# The differential tests in `npm test` use the binary; without it they print a SKIP line.
set -euo pipefail
cd "$(dirname "$0")/../.."
cache="${TASKSTACK_CACHE:-/var/cache/taskstack}/robfig-cron"
sum="$(cat tools/robfig-cron/go.mod tools/robfig-cron/go.sum tools/robfig-cron/main.go | sha256sum | cut -c1-16)"
if [ -x "$cache/robfig-cron" ] && [ "$(cat "$cache/source.sha256" 2>/dev/null)" = "$sum" ]; then
  echo "robfig-cron: cached in $cache"
  exit 0
fi
mkdir -p "$cache"
(cd tools/robfig-cron && nice -n 10 go build -trimpath -o "$cache/robfig-cron.tmp" .)
mv "$cache/robfig-cron.tmp" "$cache/robfig-cron"
echo "$sum" > "$cache/source.sha256"
echo "robfig-cron: built into $cache"
