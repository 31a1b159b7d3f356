#!/usr/bin/env bash
# Runs every test: installs what the tests drive (ClamAV, 7-Zip), builds the solution once, runs each test
# project, and ends with the line CI reads: "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
cd "$root"
logs="$root/artifacts/test-logs"
mkdir -p "$logs"

scripts/install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

echo "== build"
if ! dotnet build postern.slnx -c Release -nologo -clp:ErrorsOnly -v quiet >"$logs/build.log" 2>&1; then
  cat "$logs/build.log"
  echo "0 passed, 1 failed"
  exit 1
fi

# postern-mda is Native AOT: published (not built) beside the managed build the tests run, which it falls back to.
echo "== publish postern-mda"
if ! dotnet publish core/Postern.Mda.Native/Postern.Mda.Native.csproj -c Release -r linux-x64 -o artifacts/postern \
    -nologo -clp:ErrorsOnly -v quiet >"$logs/publish-mda.log" 2>&1; then
  cat "$logs/publish-mda.log"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0
failed=0
for proj in tests/*/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  echo "== $name"
  dotnet test --project "$proj" -c Release --no-build >"$logs/$name.log" 2>&1
  rc=$?
  p=$(awk '/^  succeeded:/ {s+=$2} END {print s+0}' "$logs/$name.log")
  f=$(awk '/^  failed:/ {s+=$2} END {print s+0}' "$logs/$name.log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1  # the run broke before it could count: that is a failure too
  fi
  if [ "$f" -ne 0 ]; then
    grep -E '^(failed|  [A-Za-z].*\[FAIL\])|error|Assert|Exception' "$logs/$name.log" | head -60
  fi
  echo "$name: $p passed, $f failed"
  passed=$((passed + p))
  failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
