#!/usr/bin/env bash
# SIGINT and SIGTERM during `traces detect --memory ...` (which spills events to partition files
# in --temp-dir): the process ends as the signal says and its temporary folder is gone.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$KAZMIG" traces simulate --users 10000 --days 730 --seed 3 --out-events "$tmp/events.csv" \
  --out-truth "$tmp/truth.csv"
for signal in INT TERM; do
  temp="$tmp/spill-$signal"
  mkdir -p "$temp"
  "$KAZMIG" traces detect --input "$tmp/events.csv" --memory 16M --threads 1 --temp-dir "$temp" \
    >"$tmp/moves.csv" 2>"$tmp/err.txt" &
  pid=$!
  # Wait until partition files exist (up to 60 s), then interrupt.
  for _ in $(seq 1 3000); do
    if [ -n "$(find "$temp" -name 'part-*.bin' -print -quit 2>/dev/null)" ]; then break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
  done
  [ -n "$(find "$temp" -name 'part-*.bin' -print -quit)" ] ||
    skip "traces detect did not spill before it finished (machine too fast for this input)"
  kill -"$signal" "$pid"
  set +e
  wait "$pid"
  rc=$?
  set -e
  want=$((128 + $(kill -l "$signal")))
  [ "$rc" -eq "$want" ] || fail "SIG$signal: exit $rc, want $want ($(cat "$tmp/err.txt"))"
  left=$(find "$temp" -mindepth 1 | head -5)
  [ -z "$left" ] || fail "SIG$signal left temporary files: $left"
done
