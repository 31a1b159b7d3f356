#!/usr/bin/env bash
# Postern as Postfix's after-queue content filter, end to end, beside Postfix alone (A) and amavisd-new + clamd
# (C, the after-queue reference) in the same run of ../shared/bench/mta_baseline.sh:
#
#   bench/mta-postfix.sh SET_DIR
#
# Postern runs `postern serve` (the ReadyToRun build in artifacts/app) on a generated postern.conf: the set's
# signature database, action_av_infected = accept with header marking (X-Virus-Status: Infected (name)), so infected
# mail reaches the sink and is counted as flagged, listen on 127.0.0.1:PORT_FILTER, reinjection to the baseline's
# 127.0.0.1:PORT_REINJECT smtpd. Make a set with: python3 ../shared/bench/gen_corpus.py --out SET_DIR --seed 1
#
# Environment: CONFIGS (default "A C D"), PORT_FILTER (10025), PORT_REINJECT (10026), FILTER_PROCS (2 x nproc, the
# scan transport's maxproc), and everything mta_baseline.sh reads (CONC, REPEAT, KEEP, RESULTS...). C uses
# 127.0.0.1:10024/10025 while it runs; D starts only after C stopped, so the ports do not collide.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2; }
set_dir=$(cd "$1" && pwd)
kit=${BENCH_KIT:-$root/../shared/bench}
port=${PORT_FILTER:-10025}
reinject=${PORT_REINJECT:-10026}
procs=${FILTER_PROCS:-$(( 2 * $(nproc) ))}

# Another listener on the filter's port (a postern serve left running on embedded defaults, say) would answer in
# place of the one measured here, and the kit would time it: refuse instead.
if ss -Hltn "sport = :$port" | grep -q .; then
  echo "port $port is already in use; stop what listens there or pass another port" >&2
  exit 1
fi
"$root/postern" --version >/dev/null   # build outside the timed run
work=$(mktemp -d /tmp/postern-mta-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
cat >"$work/postern.conf" <<CONF
[global]
database_dir = "$set_dir/db"
av_quarantine_dir = "$work/quarantine"
run_dir = "$work/run"
syslog_enabled = no
log_level = warning
action_av_infected = accept
av_mark_headers = yes

[engine-signatures]
watch = no

[postfix]
listen = 127.0.0.1:$port
reinject = 127.0.0.1:$reinject
max_connections = $(( procs * 2 ))
CONF

CONFIGS=${CONFIGS:-"A C D"} CONTENT_FILTER="smtp:[127.0.0.1]:$port" PORT_REINJECT="$reinject" FILTER_PROCS="$procs" \
  FILTER_CMD="$root/artifacts/app/postern serve -c $work/postern.conf" "$kit/mta_baseline.sh" "$set_dir"
