#!/usr/bin/env bash
# Postern's milter against Postfix alone over several interleaved rounds: each round is one
# `CONFIGS="A D" bench/mta-milter.sh SET` (Postfix alone, then Postfix with Postern as its milter, back to back), and
# the summary gives the ratio D/A per round and its mean, median and range.
#
#   bench/milter-ratio.sh SET_DIR [ROUNDS]      (ROUNDS: default 5)
#
# One run's ratio swings by 20 points on a small shared machine because Postfix alone does; the mean of interleaved
# rounds is the figure to quote. Every round must receive every message and flag the set's infections, or the script
# stops there. EXTRA_GLOBAL and the environment pass through to bench/mta-milter.sh. FRESH_TMP=1 runs each round through
# bench/fresh-tmp.sh (the kit's /tmp on a fresh journaled filesystem; on this project's test machine that took the
# spread of one build's rounds from about 20 points to about 5).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2; }
set_dir=$1
rounds=${2:-5}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive number" >&2; exit 2; }
ratios=()
wrap=()
[ "${FRESH_TMP:-0}" = 1 ] && wrap=("$root/bench/fresh-tmp.sh" env)
for round in $(seq "$rounds"); do
  out=$(CONFIGS="A D" ${wrap[@]+"${wrap[@]}"} "$root/bench/mta-milter.sh" "$set_dir" 2>&1) || { echo "$out" >&2; exit 1; }
  a=$(sed -n 's/^A .* \([0-9.]*\) msg\/s,.*/\1/p' <<<"$out")
  dline=$(grep '^D ' <<<"$out" || true)
  d=$(sed -n 's/^D .* \([0-9.]*\) msg\/s,.*/\1/p' <<<"$dline")
  if [ -z "$a" ] || [ -z "$d" ]; then
    echo "round $round: no A or D line from the kit:" >&2
    echo "$out" >&2
    exit 1
  fi
  sent=$(sed -n 's/.*sent \([0-9]*\), received \([0-9]*\),.*/\1 \2/p' <<<"$dline")
  flagged=$(sed -n 's/.*flagged \([0-9]*\) (truth \([0-9]*\)).*/\1 \2/p' <<<"$dline")
  read -r s r <<<"$sent"
  read -r f t <<<"$flagged"
  if [ "$s" != "$r" ] || [ "$f" != "$t" ]; then
    echo "round $round: $dline" >&2
    echo "round $round: lost mail or missed infections; stopping" >&2
    exit 1
  fi
  ratio=$(awk -v a="$a" -v d="$d" 'BEGIN { printf "%.1f", 100 * d / a }')
  ratios+=("$ratio")
  echo "round $round: Postfix alone $a msg/s, Postern milter $d msg/s -> $ratio%, $r/$s received, $f/$t flagged"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk -v n="$rounds" '
  { v[NR] = $1; sum += $1 }
  END {
    median = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    printf "%d rounds: Postern at %.1f%% of Postfix alone on average (median %.1f%%, %.1f to %.1f%%)\n", n, sum / n, median, v[1], v[n]
  }'
