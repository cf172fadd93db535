#!/usr/bin/env bash
# Concurrent first use of a fresh database: 12 processes open it at once (each creating the schema
# and loading the built-in dataset if nobody has); every one must succeed, with the same output.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
n=12
db="$tmp/fresh.db"
pids=()
for i in $(seq 1 $n); do
  "$KAZMIG" --db "$db" data show population --region 75 --year 2020 >"$tmp/out.$i" 2>"$tmp/err.$i" &
  pids+=($!)
done
failed=0
for i in $(seq 1 $n); do
  if ! wait "${pids[$((i - 1))]}"; then
    echo "process $i failed: $(cat "$tmp/err.$i")" >&2
    failed=$((failed + 1))
  fi
done
[ "$failed" -eq 0 ] || fail "$failed of $n concurrent first uses failed"
for i in $(seq 2 $n); do
  cmp -s "$tmp/out.1" "$tmp/out.$i" || fail "process $i printed something else than process 1"
done
[ -s "$tmp/out.1" ] || fail "no output"
