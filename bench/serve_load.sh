#!/usr/bin/env bash
# Load test of `kazmig serve` on loopback (issue 19): wrk with 64 connections for 30 s against the
# indicator, series and flows endpoints (bench/serve_load.lua rotates six queries of them), on a
# fresh database. Reports the errors (connect, read, write, non-2xx/3xx status, timeouts), the
# latency percentiles and the server's resident memory (VmRSS, /proc/PID/status) after warm-up,
# after the run, and after a second run. Targets: zero errors, p99 < 20 ms, memory flat.
#
#   bench/serve_load.sh [KAZMIG=build/bin/kazmig] [DURATION=30s] [CONNECTIONS=64] [THREADS=4]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
KAZMIG=${KAZMIG:-$here/../build/bin/kazmig}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-4}
command -v wrk >/dev/null || { echo "SKIP: wrk not installed (Debian package wrk)"; exit 0; }
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
export KAZMIG_DB=$tmp/kazmig.db
mkdir -p "$tmp/web"
echo "<!doctype html><title>kazmig</title>" > "$tmp/web/index.html"

"$KAZMIG" serve --host 127.0.0.1 --port 0 --web-root "$tmp/web" >"$tmp/url.txt" 2>"$tmp/serve.log" &
pid=$!
for _ in $(seq 1 600); do
  grep -q "http://" "$tmp/url.txt" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.log"; exit 1; }
  sleep 0.1
done
url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/url.txt")
[ -n "$url" ] || { echo "kazmig serve printed no URL"; cat "$tmp/serve.log"; exit 1; }

rss() { awk '/^VmRSS/ { print $2 " kB" }' "/proc/$pid/status"; }
# The server's user + system CPU time in clock ticks (/proc/PID/stat fields 14 and 15).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
# Warm-up: each query once (computed and cached), then a few seconds of load.
for path in /api/indicators "/api/series?indicator=net_internal&region=75" /api/flows \
  "/api/series?indicator=population_avg&region=71" "/api/indicators?year=2023" \
  "/api/flows?year=2023"; do
  curl -sf -o /dev/null "$url$path" || { echo "warm-up failed: $path"; exit 1; }
done
wrk -t "$THREADS" -c "$CONNECTIONS" -d 3s -s "$here/serve_load.lua" "$url" >/dev/null
echo "server: $url (pid $pid), $CONNECTIONS connections, $THREADS wrk threads, $DURATION per run"
echo "rss_after_warmup $(rss)"
for run in 1 2; do
  echo "--- run $run"
  before=$(cpu_ticks)
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout 5s -s "$here/serve_load.lua" \
    "$url" | sed -n '/^requests /,$p' | tee "$tmp/wrk.txt"
  after=$(cpu_ticks)
  requests=$(awk '/^requests / { print $2 }' "$tmp/wrk.txt")
  # CPU per request does not depend on how busy the machine is (wall-clock latency does).
  awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" \
    'BEGIN { printf "server_cpu_s %.2f\nserver_cpu_us_per_request %.1f\n", t / hz, t / hz / n * 1e6 }'
  echo "rss_after_run_$run $(rss)"
done
