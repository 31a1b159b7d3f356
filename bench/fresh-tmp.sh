#!/usr/bin/env bash
# Runs a command with /tmp on a freshly made, journaled ext4 filesystem of its own, in a private mount namespace: the
# MTA kit (../shared/bench/mta_baseline.sh) keeps Postfix's queue and smtp-sink's dumps under /tmp, and this gives
# every run the same clean queue filesystem, as a mail server's spool would have.
#
#   bench/fresh-tmp.sh COMMAND [ARG...]
#   e.g. bench/fresh-tmp.sh bench/milter-ratio.sh /work/sets/m1000 4
#
# Why: on a machine whose root filesystem is ext4 without a journal (this project's test machine), ext4 passes over
# every inode freed in the last 5 s (305 s while its inode-table block is still dirty) each time it creates a file,
# reading that inode's block to check. Each kit run creates and deletes a few thousand files, so back-to-back runs
# made creating a file in /tmp cost 400-900 us instead of 20 (measured with 1,000 creates of a 3 KB file), Postfix's
# cleanup and smtp-sink paid it once a message each, and the same build's rate swung by 20%. In a fresh journaled
# filesystem (what Debian installs) a create costs 20 us however many files went before.
#
# The filesystem is an image file (FRESH_TMP_SIZE, default 4G, sparse) under FRESH_TMP_DIR (default /var/tmp),
# removed afterwards; nothing outside the namespace sees the mount. Paths the command uses (the corpus set, this
# checkout) must not be under /tmp. Needs root, util-linux unshare, mkfs.ext4 and a free loop device.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2; }
[ "$(id -u)" = 0 ] || { echo "fresh-tmp: run as root (mounts a filesystem)" >&2; exit 2; }
for tool in unshare mkfs.ext4 losetup; do
  command -v "$tool" >/dev/null || { echo "fresh-tmp: $tool not found" >&2; exit 1; }
done
dir=${FRESH_TMP_DIR:-/var/tmp}
img=$(mktemp "$dir/postern-fresh-tmp.XXXXXX.img")
trap 'rm -f "$img"' EXIT
truncate -s "${FRESH_TMP_SIZE:-4G}" "$img"
mkfs.ext4 -q -F -j "$img"
# The inner shell mounts the image over /tmp for itself and its children only (mount --make-rprivate keeps the
# mount from propagating back), then runs the command; its exit status is this script's.
unshare -m sh -c 'mount --make-rprivate / && mount -o loop "$0" /tmp && chmod 1777 /tmp && exec "$@"' "$img" "$@"
