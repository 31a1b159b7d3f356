#!/usr/bin/env bash
# Per-message latency of the delivery wrapper, the way an MTA runs it (one process per message), side by side with
# ClamAV in the same run on the same messages:
#
#   bench/mda-latency.sh SET_DIR [N]
#
#   postern-mda (daemon)     the native client (Native AOT) `postern-mda -- cat` with a running `postern serve` (the
#                            message goes over its socket): what MTAs are told to run
#   postern mda (daemon)     the managed verb `postern mda -- cat`, same daemon: the .NET runtime starts per message
#   postern-mda (no daemon)  the native client finds no daemon and execs the managed verb, which loads the database
#                            and scans in its own process
#   postern mda (no daemon)  the managed verb with no daemon
#   clamdscan                `clamdscan --fdpass -` against a private clamd already up on SET_DIR/db
#   clamscan                 `clamscan -d SET_DIR/db -` (loads the database for every message)
#
# Each line gives the median and the 99th percentile wall time per message (N messages, default 200, the first N
# of SET_DIR/mail in name order; every tool runs each message once, in turn, so they share the machine's state).
# Postern runs the ReadyToRun build and postern-mda (./postern builds both). Make a set with:
#   python3 ../shared/bench/gen_corpus.py --out SET_DIR --seed 1
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
set_dir=$(cd "$1" && pwd)
n=${2:-200}
command -v clamd >/dev/null && command -v clamdscan >/dev/null && command -v clamscan >/dev/null || {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q clamav-daemon clamdscan clamav >/dev/null; }

"$root/postern" --version >/dev/null   # build outside the timed run
postern="$root/artifacts/app/postern"
native="$root/artifacts/app/postern-mda"
[ -x "$native" ] || { echo "$native is missing (./postern builds it)"; exit 1; }
run=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$run"' EXIT

printf '[global]\nrun_dir = %s/run\ndatabase_dir = %s/db\nsyslog_enabled = no\nlog_level = warning\n' "$run" "$set_dir" >"$run/postern.conf"
"$postern" serve -c "$run/postern.conf" 2>"$run/serve.log" &
pids+=($!)
cat >"$run/clamd.conf" <<CONF
LocalSocket $run/clamd.sock
DatabaseDirectory $set_dir/db
Foreground yes
LogFile $run/clamd.log
TemporaryDirectory $run
CONF
echo "LocalSocket $run/clamd.sock" >"$run/clamdscan.conf"
clamd -c "$run/clamd.conf" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do [ -S "$run/clamd.sock" ] && [ -S "$run/run/postern.sock" ] && break; sleep 0.5; done
[ -S "$run/run/postern.sock" ] || { echo "postern serve did not start"; cat "$run/serve.log"; exit 1; }
[ -S "$run/clamd.sock" ] || { echo "clamd did not start"; cat "$run/clamd.log"; exit 1; }

mapfile -t files < <(ls "$set_dir/mail" | sort | head -n "$n")
ns() { date +%s%N; }
for f in "${files[@]}"; do
  m="$set_dir/mail/$f"
  rc_native=0 rc_managed=0
  t0=$(ns); "$native" -c "$run/postern.conf" -f s@example.org -r r@example.net -- /bin/cat <"$m" >/dev/null 2>>"$run/mda.err" || rc_native=$?
  t1=$(ns); "$postern" -c "$run/postern.conf" mda -f s@example.org -r r@example.net -- /bin/cat <"$m" >/dev/null 2>>"$run/mda.err" || rc_managed=$?
  # No daemon: a socket path nobody listens on, while the daemon stays up for the other rows.
  t2=$(ns); "$native" -c "$run/postern.conf" --socket "$run/none.sock" -f s@example.org -r r@example.net -- /bin/cat <"$m" >/dev/null 2>>"$run/mda.err" || true
  t3=$(ns); "$postern" -c "$run/postern.conf" mda --no-daemon -f s@example.org -r r@example.net -- /bin/cat <"$m" >/dev/null 2>>"$run/mda.err" || true
  t4=$(ns); clamdscan -c "$run/clamdscan.conf" --fdpass --no-summary - <"$m" >/dev/null 2>&1 || true
  t5=$(ns); clamscan -d "$set_dir/db" --no-summary - <"$m" >/dev/null 2>&1 || true
  t6=$(ns)
  echo "$((t1 - t0)) $((t2 - t1)) $((t3 - t2)) $((t4 - t3)) $((t5 - t4)) $((t6 - t5))" >>"$run/times"
  echo "$rc_native $rc_managed" >>"$run/codes"
done

# The two daemon clients must decide alike, or the faster one is measuring something else.
awk '{ n++; same += ($1 == $2); if ($1 == 0) ok++; if ($1 == 77) refused++ }
  END { printf "daemon rows: exit codes agree on %d of %d messages (postern-mda: %d delivered, %d refused)\n", same, n, ok, refused }' "$run/codes"

python3 - "$run/times" <<'PY'
import sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1])]
names = ["postern-mda (daemon)", "postern mda (daemon)", "postern-mda (no daemon)", "postern mda (no daemon)",
         "clamdscan", "clamscan"]
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
for i, name in enumerate(names):
    col = [r[i] / 1e6 for r in rows]
    print("%-24s %d messages: median %7.1f ms, p99 %7.1f ms" % (name, len(col), pct(col, 50), pct(col, 99)))
PY
