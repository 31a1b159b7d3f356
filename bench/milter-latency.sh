#!/usr/bin/env bash
# The milter's share of each message's time, read off the wire: one D run of bench/mta-milter.sh (Postfix with
# Postern as its milter) under a packet capture of the milter connection, cut back into milter packets.
#
#   bench/milter-latency.sh SET_DIR [MILTER_PORT]
#
# Prints the run's line from the kit, then per message (n = messages seen whole in the capture):
#   header -> reply   from Postfix's first header packet to Postern's final reply (the milter's part of the
#                     message's time: reading, deciding, answering, and every wait for a core in between)
#   eom -> reply      from end of message to the final reply
# as mean, median, p90 and p99 in milliseconds. Unlike the kit's msg/s these do not depend on how fast Postfix
# alone happened to run, so they compare two builds or settings with fewer runs (interleave them all the same).
# Needs tcpdump (apt-get install tcpdump) and the right to capture on lo (root, or CAP_NET_RAW). Loopback only.
# EXTRA_GLOBAL and the environment pass through to bench/mta-milter.sh as usual.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2; }
set_dir=$1
port=${2:-22500}
command -v tcpdump >/dev/null || { echo "tcpdump not found (apt-get install tcpdump)" >&2; exit 1; }
work=$(mktemp -d)
cap=$work/milter.pcap
tcpdump -i lo -B 262144 -s 0 -U -w "$cap" "tcp port $port" 2>"$work/tcpdump.err" &
dump=$!
trap 'kill $dump 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$cap" ] && break; sleep 0.1; done
if ! kill -0 $dump 2>/dev/null || [ ! -s "$cap" ]; then
  echo "tcpdump did not start capturing on lo:" >&2
  cat "$work/tcpdump.err" >&2
  exit 1
fi
CONFIGS=D "$root/bench/mta-milter.sh" "$set_dir" "$port" 2>&1 | grep -E '^D '
sleep 0.5
kill -INT $dump
wait $dump 2>/dev/null || true
grep -h "dropped by kernel" "$work/tcpdump.err" || true

python3 - "$cap" "$port" <<'PY'
import statistics, struct, sys

path, port = sys.argv[1], int(sys.argv[2])
data = open(path, "rb").read()
magic = struct.unpack("<I", data[:4])[0]
if magic not in (0xA1B2C3D4, 0xA1B23C4D):
    sys.exit("not a little-endian pcap file (tcpdump -w writes one)")
scale = 1e9 if magic == 0xA1B23C4D else 1e6
link = struct.unpack("<I", data[20:24])[0]
link_len = {1: 14, 113: 16, 276: 20}.get(link)
if link_len is None:
    sys.exit(f"link type {link} not understood")

# Each TCP connection to the milter port, both directions put back in sequence order (a capture can hold a segment
# twice or out of order), then cut into milter packets (4-byte length, command letter, data), each stamped with the
# time of the segment that completed it. A gap (a segment the capture lost) ends that direction there.
segments = {}
off = 24
while off + 16 <= len(data):
    sec, frac, incl, _ = struct.unpack("<IIII", data[off:off + 16])
    frame = data[off + 16:off + 16 + incl]
    off += 16 + incl
    ip = frame[link_len:]
    if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
        continue
    tcp = ip[(ip[0] & 15) * 4:]
    sport, dport, seq = struct.unpack(">HHI", tcp[:8])
    payload = tcp[(tcp[12] >> 4) * 4:]
    if payload and port in (sport, dport):
        to_milter = dport == port
        segments.setdefault((sport if to_milter else dport, to_milter), []).append((seq, sec + frac / scale, payload))

flows = {}
for (conn, to_milter), segs in segments.items():
    base = segs[0][0]
    segs = sorted(((seq - base) & 0xFFFFFFFF, t, p) for seq, t, p in segs)
    events = flows.setdefault(conn, [])
    buf, expected = bytearray(), 0
    for rel, t, payload in segs:
        if rel + len(payload) <= expected:
            continue  # seen already
        if rel > expected:
            break  # lost from the capture
        buf += payload[expected - rel:]
        expected = rel + len(payload)
        while len(buf) >= 5:
            n = struct.unpack(">I", buf[:4])[0]
            if len(buf) < 4 + n:
                break
            events.append((t, to_milter, chr(buf[4])))
            del buf[:4 + n]

header_reply, eom_reply = [], []
final = set("acrtdy")  # accept, continue, reject, tempfail, discard, reply code
for events in flows.values():
    header = eom = None
    for t, to_milter, cmd in sorted(events, key=lambda e: e[0]):
        if to_milter and cmd == "L" and header is None:
            header = t
        elif to_milter and cmd == "E":
            eom = t
        elif not to_milter and cmd in final and eom is not None:
            if header is not None:
                header_reply.append((t - header) * 1000)
            eom_reply.append((t - eom) * 1000)
            header = eom = None
        elif to_milter and cmd == "A":
            header = eom = None

def show(name, xs):
    if not xs:
        print(f"{name}: no complete message in the capture")
        return
    xs.sort()
    q = lambda p: xs[min(len(xs) - 1, int(len(xs) * p))]
    print(f"{name}: n={len(xs)} mean {statistics.mean(xs):.2f} ms, median {q(0.5):.2f}, p90 {q(0.9):.2f}, p99 {q(0.99):.2f}")

show("header -> reply", header_reply)
show("eom -> reply", eom_reply)
PY
