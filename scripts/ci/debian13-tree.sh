#!/usr/bin/env bash
# A Debian 13 (trixie) tree with RabbitMQ 4.0.x and Celery 5.5.x, for the real-broker suite
# (test/integration). Built once with debootstrap against the Debian mirror this machine's apt
# sources name, then reused: ${TASKSTACK_CACHE:-/var/cache/taskstack}/debian13/root. Prints the
# tree's path on its last line. Needs root (debootstrap and chroot) and Debian's package mirror.
#
#   bash scripts/ci/debian13-tree.sh          # build when missing, else reuse
#   DEBIAN13_REBUILD=1 bash scripts/ci/debian13-tree.sh
set -euo pipefail

cache="${TASKSTACK_CACHE:-/var/cache/taskstack}/debian13"
tree="$cache/root"
stamp="$cache/complete"
packages=(rabbitmq-server python3-celery celery procps iproute2 iptables curl)

mkdir -p "$cache"
# One builder at a time: a second caller waits for the first and then reuses its tree.
exec 9> "$cache/lock"
flock 9

if [ -n "${DEBIAN13_REBUILD:-}" ]; then rm -f "$stamp"; fi
# A run killed before its teardown can leave the suites' mounts in the tree: never delete through them.
for m in "$tree/dev/shm" "$tree/proc" "$cache/root.building/proc"; do
  if mountpoint -q "$m" 2> /dev/null; then umount -l "$m"; fi
done
if [ -s "$stamp" ] && [ -x "$tree/usr/sbin/rabbitmq-server" ]; then
  echo "debian13 tree: reusing $tree ($(tr '\n' ' ' < "$stamp"))" >&2
  echo "$tree"
  exit 0
fi

started=$(date +%s)
mirror="${DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  # The first deb.debian.org-style "debian" URI in the apt sources (deb822 or one-line form).
  mirror=$(grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2> /dev/null \
    | head -n 1 | tr -d ' ' || true)
  mirror="${mirror:-http://deb.debian.org/debian}"
fi
echo "debian13 tree: building $tree from $mirror (about two minutes)" >&2

if ! command -v debootstrap > /dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap > /dev/null
fi

work="$cache/root.building"
rm -rf "$work"
debootstrap --variant=minbase trixie "$work" "$mirror" > "$cache/debootstrap.log" 2>&1 || {
  tail -n 30 "$cache/debootstrap.log" >&2
  echo "debian13 tree: debootstrap failed (log: $cache/debootstrap.log)" >&2
  exit 1
}
# No daemon may start inside the tree while packages install (rabbitmq-server's postinst would).
printf '#!/bin/sh\nexit 101\n' > "$work/usr/sbin/policy-rc.d"
chmod +x "$work/usr/sbin/policy-rc.d"
mount -t proc proc "$work/proc"
trap 'umount "$work/proc" 2> /dev/null || true' EXIT
chroot "$work" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
chroot "$work" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "${packages[@]}" > "$cache/apt.log" 2>&1 || {
  tail -n 30 "$cache/apt.log" >&2
  echo "debian13 tree: apt-get install failed (log: $cache/apt.log)" >&2
  exit 1
}
chroot "$work" apt-get clean
umount "$work/proc"
trap - EXIT

rm -rf "$tree"
mv "$work" "$tree"
{
  echo "rabbitmq-server $(chroot "$tree" dpkg-query -W -f '${Version}' rabbitmq-server)"
  echo "celery $(chroot "$tree" dpkg-query -W -f '${Version}' python3-celery)"
  echo "erlang $(chroot "$tree" dpkg-query -W -f '${Version}' erlang-base)"
  echo "python $(chroot "$tree" dpkg-query -W -f '${Version}' python3)"
} > "$stamp"
echo "debian13 tree: built in $(($(date +%s) - started)) s ($(tr '\n' ' ' < "$stamp"))" >&2
echo "$tree"
