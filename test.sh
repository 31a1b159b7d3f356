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
# No MSBuild nodes left behind (-nodeReuse:false): a reused node outlives the run holding whatever descriptors it
# inherited, such as a lock a caller took around ./test.sh.
if ! dotnet build postern.slnx -c Release -nologo -nodeReuse:false -clp:ErrorsOnly -v quiet >"$logs/build.log" 2>&1; then
  cat "$logs/build.log"
  echo "0 passed, 1 failed"
  exit 1
fi

# postern-mda is Native AOT: published (not built) beside the managed build the tests run, which it falls back to.
echo "== publish postern-mda"
if ! dotnet publish core/Postern.Mda.Native/Postern.Mda.Native.csproj -c Release -r linux-x64 -o artifacts/postern -nodeReuse:false \
    -nologo -clp:ErrorsOnly -v quiet >"$logs/publish-mda.log" 2>&1; then
  cat "$logs/publish-mda.log"
  echo "0 passed, 1 failed"
  exit 1
fi

# Each project runs its test executable with xunit's own runner, so a hung test is named while it hangs: -verbose logs
# every test's start and end, and -longRunning reports a test still running after 120 s. A project gets at most
# POSTERN_TEST_CAP seconds (900) and all of them together POSTERN_TEST_BUDGET (3600), so a hang costs a failure, not
# the CI run: the project's finished tests count, each test still running counts as failed and is named.
# POSTERN_TESTS=Mda runs only the projects whose names contain "Mda".
cap=${POSTERN_TEST_CAP:-900}
budget=${POSTERN_TEST_BUDGET:-3600}
began=$SECONDS
passed=0
failed=0
for proj in tests/*/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  case "$name" in *${POSTERN_TESTS:-}*) ;; *) continue ;; esac
  exe="$(dirname "$proj")/bin/Release/net10.0/$name"
  log="$logs/$name.log"
  left=$((budget - (SECONDS - began)))
  limit=$((left < cap ? left : cap))
  echo "== $name"
  if [ "$limit" -lt 60 ]; then
    echo "$name: not run, the test budget of $budget s is spent"
    echo "$name: 0 passed, 1 failed"
    failed=$((failed + 1))
    continue
  fi
  t0=$SECONDS
  timeout -k 30 "$limit" "$exe" -noColor -noLogo -verbose -longRunning 120 </dev/null >"$log" 2>&1
  rc=$?
  # The summary line: "   Name  Total: 122, Errors: 0, Failed: 0, Skipped: 0, Not Run: 0, Time: 97.1s".
  read -r total errors fails skipped notrun < <(sed -n 's/.*Total: \([0-9]*\), Errors: \([0-9]*\), Failed: \([0-9]*\), Skipped: \([0-9]*\), Not Run: \([0-9]*\),.*/\1 \2 \3 \4 \5/p' "$log" | tail -1)
  if [ -n "${total:-}" ]; then
    p=$((total - fails - skipped - notrun))
    f=$((fails + errors))
  else
    # No summary: the run was killed or broke. One pass over the log: a test that finished without [FAIL] passed;
    # one that failed, or started and never finished, failed. The first line is the two counts, then the unfinished.
    running=$(awk '
      / \[STARTING\]$/ { t = $0; sub(/ \[STARTING\]$/, "", t); started[t] = 1 }
      / \[FAIL\]$/ { t = $0; sub(/ \[FAIL\]$/, "", t); bad[t] = 1 }
      / \[FINISHED\] Time:/ { t = $0; sub(/ \[FINISHED\] Time:.*/, "", t); done[t] = 1 }
      END {
        p = 0; f = 0; list = ""
        for (t in done) if (!(t in bad)) p++
        for (t in bad) f++
        for (t in started) if (!(t in done)) { if (!(t in bad)) f++; u = t; sub(/^ +/, "", u); list = list "\n  " u }
        printf "%d %d%s\n", p, f, list
      }' "$log")
    read -r p f <<<"$running"
    running=$(tail -n +2 <<<"$running")
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
      echo "$name: stopped after $limit s; still running:"
      [ -z "$running" ] || echo "$running"
      # What the killed tests started outside their process group goes too: programs run from artifacts/ (postern,
      # Exim, Sendmail) and private Postfix instances, whose master carries its temporary MAIL_CONFIG.
      pkill -KILL -f "$root/artifacts/" 2>/dev/null
      for pid in $(pgrep -f '/postfix/sbin/master' 2>/dev/null); do
        if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -q "^MAIL_CONFIG=${TMPDIR:-/tmp}/"; then
          kill -KILL "$pid" 2>/dev/null
        fi
      done
    fi
  fi
  unset total errors fails skipped notrun
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1  # the run broke before it could count: that is a failure too
  fi
  if [ "$f" -ne 0 ]; then
    grep -E -A12 '\[FAIL\]$' "$log" | head -80
    grep -E '\[Long Running Test\]|Unhandled|error' "$log" | head -20
    tail -5 "$log"
  fi
  echo "$name: $p passed, $f failed ($((SECONDS - t0)) s)"
  passed=$((passed + p))
  failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
