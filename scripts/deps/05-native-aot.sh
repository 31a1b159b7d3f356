#!/usr/bin/env bash
# The Native AOT toolchain that links postern-mda (core/Postern.Mda.Native): the .NET SDK compiles to an object file
# and calls `clang` to link it against libc, libm, zlib and OpenSSL's loader stubs. Debian's `clang` package gives the
# plain `clang` name the SDK looks for (clang-14 alone does not); zlib1g-dev and libc6-dev give the static parts.
# The ILCompiler itself is a NuGet package the SDK restores. Idempotent: nothing to do when all are there.
set -euo pipefail
need=()
command -v clang >/dev/null || need+=(clang)
for p in zlib1g-dev libc6-dev binutils; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]} (Native AOT linking)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; }
fi
command -v clang >/dev/null || { echo "install-deps: clang missing after install" >&2; exit 1; }
