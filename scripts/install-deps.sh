#!/usr/bin/env bash
# Installs what the test suite drives for real, from Debian's packages, when it is missing:
# ClamAV's clamscan and clamd (the reference the signature engine must agree with),
# 7-Zip (to build 7z test archives at test time), Python 3 (the benchmark kit).
set -euo pipefail
need=()
command -v clamscan >/dev/null || need+=(clamav)
command -v clamd >/dev/null || need+=(clamav-daemon)
command -v 7z >/dev/null || need+=(p7zip-full)
command -v python3 >/dev/null || need+=(python3)
command -v flock >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian's clamav-daemon and freshclam services are not wanted: the tests start private instances.
for s in clamav-daemon clamav-freshclam; do
  if command -v systemctl >/dev/null && systemctl is-active --quiet "$s" 2>/dev/null; then
    systemctl stop "$s" || true
  fi
done
# Each integration brings its own real parts (an MTA from Debian's package in a private prefix, Dovecot, ...):
# scripts/deps/<name>.sh, run in name order; each is idempotent and fails loudly.
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
for hook in "$here"/deps/*.sh; do
  [ -e "$hook" ] || continue
  bash "$hook" || { echo "install-deps: $(basename "$hook") failed" >&2; exit 1; }
done
