#!/usr/bin/env bash
# Postern as a Postfix milter beside Postfix alone (A) and clamav-milter (B), in one run of the shared MTA kit
# (../shared/bench/mta_baseline.sh) on a gen_corpus.py set, with the same signatures (SET_DIR/db) for both scanners.
#
#   bench/mta-milter.sh SET_DIR [MILTER_PORT]
#
# Postern runs as `./postern serve` (the ReadyToRun build in artifacts/app) with a generated postern.conf: the
# set's database, the [postfix] milter agent on inet:127.0.0.1:MILTER_PORT (default 22500), infected mail accepted
# and marked (action_av_infected = accept, X-Virus-Status: Infected (...)) so that it reaches the sink and the kit
# counts it as flagged, like clamav-milter's OnInfected Accept + AddHeader. Everything else is the kit's:
# EXTRA_GLOBAL: more [global] lines for the run ("scan_buffer_cache = 32M"). ENGINE=off: the signatures engine disabled,
# so every message is answered "not scanned" (accepted and unmarked by this config) after the same milter exchange: the
# rate of the milter path alone, the ceiling for any scanning (the kit then counts 0 flagged). CONFIGS (default "A B D"), CONC, REPEAT, WARMUP, PORT_* (pass ports of your own when other MTAs run), RESULTS.
# Make a set with: python3 ../shared/bench/gen_corpus.py --out SET_DIR --seed 1 --messages 300
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2; }
set_dir=$(cd "$1" && pwd)
port=${2:-22500}
case ${ENGINE:-on} in on|off) ;; *) echo "ENGINE must be on or off" >&2; exit 2 ;; esac
kit=${BENCH_KIT:-$root/../shared/bench}

# Another listener on the filter's port (a postern serve left running on embedded defaults, say) would answer in
# place of the one measured here, and the kit would time it: refuse instead.
if ss -Hltn "sport = :$port" | grep -q .; then
  echo "port $port is already in use; stop what listens there or pass another port" >&2
  exit 1
fi
"$root/postern" --version >/dev/null   # build (ReadyToRun) outside the timed run
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
conf=$work/postern.conf
cat >"$conf" <<CONF
[global]
database_dir = "$set_dir/db"
run_dir = "$work/run"
av_quarantine_dir = "$work/quarantine"
syslog_enabled = no
log_level = warning
action_av_infected = accept
action_av_notscanned = accept
av_mark_headers = yes
${EXTRA_GLOBAL:-}

[engine-signatures]
watch = no
$([ "${ENGINE:-on}" = off ] && echo "enabled = no")

[postfix]
# the after-queue agent is not measured here: keep it off the kit's ports
listen = 127.0.0.1:$((port + 1))
reinject = 127.0.0.1:$((port + 2))
milter = yes
milter_listen = inet:127.0.0.1:$port

[sendmail]
enabled = no
CONF
"$root/postern" config check "$conf" >/dev/null

CONFIGS=${CONFIGS:-"A B D"} MILTER="inet:127.0.0.1:$port" FILTER_CMD="$root/artifacts/app/postern serve -c $conf" \
  "$kit/mta_baseline.sh" "$set_dir"
