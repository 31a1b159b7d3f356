#!/usr/bin/env bash
# Scans one gen_corpus.py set with `postern scan` and then with ClamAV's clamd (../shared/bench/clamd_baseline.sh)
# in the same go, and prints both throughputs, the ratio, both peak RSS figures and agree.py's line for each.
#
#   bench/scan-vs-clamd.sh SET_DIR [JOBS]
#
# Make a set with: python3 ../shared/bench/gen_corpus.py --out SET_DIR --seed 1
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
set_dir=$(cd "$1" && pwd)
jobs=${2:-$(nproc)}
kit=${BENCH_KIT:-$root/../shared/bench}

"$root/postern" --version >/dev/null   # build outside the timed run
bytes=$(du -sb "$set_dir/mail" | cut -f1)
n=$(ls "$set_dir/mail" | wc -l)
report="$set_dir/postern.report"
tfile=$(mktemp)
conf=$(mktemp)
log=$(mktemp)
# log_level info: the engine logs its load time, which clamd's figure (timed after clamd is up) leaves out.
printf '[global]\nlog_level = info\n' >"$conf"
start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$tfile" "$root/artifacts/app/postern" scan -c "$conf" --no-summary -j "$jobs" \
  -d "$set_dir/db" -r "$set_dir/mail" >"$report" 2>"$log" || true
end=$(date +%s.%N)
rss=$(( $(tail -1 "$tfile") / 1024 ))
load_ms=$(sed -n 's/.*Signature database loaded in \([0-9]*\) ms.*/\1/p' "$log" | head -1)
rm -f "$tfile" "$conf" "$log"
p_line=$(python3 - "$n" "$bytes" "$start" "$end" "$rss" "${load_ms:-0}" <<'PY'
import sys
n, b, s, e, rss, load = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], int(sys.argv[6]) / 1000
t = e - s
print("postern: %d messages, %.1f MiB, %.2f s, %.2f MiB/s, %.1f msg/s, peak RSS %s MiB" % (n, b / 2**20, t, b / 2**20 / t, n / t, rss))
print("postern without the %.2f s database load (as clamd's figure is): %.2f s, %.2f MiB/s" % (load, t - load, b / 2**20 / (t - load)))
PY
)
echo "$p_line"
"$kit/agree.py" "$set_dir/truth.tsv" "$report" | tail -1 | sed 's/^/postern /'
c_out=$("$kit/clamd_baseline.sh" "$set_dir" "$jobs")
echo "$c_out"
python3 - "$p_line" "$c_out" <<'PY'
import re, sys
p = [float(x) for x in re.findall(r"([\d.]+) MiB/s", sys.argv[1])]
c = float(re.search(r"([\d.]+) MiB/s", sys.argv[2]).group(1))
print("ratio: postern/clamd = %.1fx with postern's database load, %.1fx without (clamd's is never counted)" % (p[0] / c, p[1] / c))
PY
