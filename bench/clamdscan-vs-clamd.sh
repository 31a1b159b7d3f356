#!/usr/bin/env bash
# ClamAV's own clamdscan drives Postern's clamd server (the exim agent of `postern serve`) and then a private ClamAV
# clamd (../shared/bench/clamd_baseline.sh) over the same gen_corpus.py set, in one go: throughput, peak RSS and
# agree.py's verdict for each, and the ratio. Both runs use clamdscan --multiscan --fdpass on the same mail and db.
#
#   bench/clamdscan-vs-clamd.sh SET_DIR [THREADS]
#
# Make a set with: python3 ../shared/bench/gen_corpus.py --out SET_DIR --seed 1
# Exit status: 0 only when both agree.py runs exit 0.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
set_dir=$(cd "$1" && pwd)
threads=${2:-$(nproc)}
kit=${BENCH_KIT:-$root/../shared/bench}
command -v clamdscan >/dev/null || { echo "clamdscan is missing: scripts/deps/30-exim.sh installs it" >&2; exit 2; }

"$root/postern" --version >/dev/null   # build outside the timed run
run=$(mktemp -d)
chmod 755 "$run"
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$run"' EXIT
cat >"$run/postern.conf" <<CONF
[global]
database_dir = $set_dir/db
run_dir = $run
syslog_enabled = no
log_level = warning

[exim]
scan_roots = $set_dir/mail
max_connections = $((threads * 4))
CONF
echo "LocalSocket $run/clamd.sock" >"$run/clamdscan.conf"

"$root/artifacts/app/postern" serve -c "$run/postern.conf" 2>"$run/serve.log" &
pid=$!
for _ in $(seq 1 240); do
  [ -S "$run/clamd.sock" ] && clamdscan -c "$run/clamdscan.conf" --ping 1 >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "postern serve exited:"; cat "$run/serve.log"; exit 2; }
  sleep 0.5
done
[ -S "$run/clamd.sock" ] || { echo "postern's clamd socket did not appear"; cat "$run/serve.log"; exit 2; }

n=$(ls "$set_dir/mail" | wc -l)
bytes=$(du -sb "$set_dir/mail" | cut -f1)
report="$set_dir/postern-clamd.report"
start=$(date +%s.%N)
clamdscan -c "$run/clamdscan.conf" --multiscan --fdpass --no-summary "$set_dir/mail" >"$report" 2>&1 || true
end=$(date +%s.%N)
rss=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status)
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
p_line=$(python3 - "$n" "$bytes" "$start" "$end" "$rss" <<'PY'
import sys
n, b, s, e, rss = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
t = e - s
print("postern (clamd protocol): %d messages, %.1f MiB, %.2f s, %.2f MiB/s, %.1f msg/s, peak RSS %s MiB"
      % (n, b / 2**20, t, b / 2**20 / t, n / t, rss))
PY
)
echo "$p_line"
p_ok=0
"$kit/agree.py" --infected-only "$set_dir/truth.tsv" "$report" | tail -1 | sed 's/^/postern /' || true
"$kit/agree.py" --infected-only "$set_dir/truth.tsv" "$report" >/dev/null || p_ok=1
if grep -q ' ERROR$' "$report"; then
  echo "postern: $(grep -c ' ERROR$' "$report") ERROR lines (see $report)"
fi

c_out=$("$kit/clamd_baseline.sh" "$set_dir" "$threads")
echo "$c_out"
c_ok=0
"$kit/agree.py" --infected-only "$set_dir/truth.tsv" "$set_dir/clamd.report" >/dev/null || c_ok=1
python3 - "$p_line" "$c_out" <<'PY'
import re, sys
p = float(re.search(r"([\d.]+) MiB/s", sys.argv[1]).group(1))
c = float(re.search(r"([\d.]+) MiB/s", sys.argv[2]).group(1))
print("ratio: postern/clamd = %.2fx (both driven by clamdscan --multiscan --fdpass)" % (p / c))
PY
[ "$p_ok" -eq 0 ] && [ "$c_ok" -eq 0 ]
