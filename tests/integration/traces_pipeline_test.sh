#!/usr/bin/env bash
# kazmig traces simulate -> detect -> score / flows / curve / baseline, and bounded memory.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$KAZMIG" traces simulate --users 600 --days 600 --seed 3 --out-events "$tmp/ev.csv" \
  --out-truth "$tmp/truth.csv"
head -1 "$tmp/ev.csv" | grep -qx "user_id,date,location"
head -1 "$tmp/truth.csv" | grep -qx "user_id,home,destination,move_date,home_days,destination_days"
# The same seed gives the same file.
"$KAZMIG" traces simulate --users 600 --days 600 --seed 3 --out-events "$tmp/ev2.csv" \
  --out-truth "$tmp/truth2.csv"
cmp "$tmp/ev.csv" "$tmp/ev2.csv"
"$KAZMIG" traces detect --input "$tmp/ev.csv" --output "$tmp/moves.csv" --threads 2
# Bounded memory: partitions spill to temporary files, same output.
"$KAZMIG" traces detect --input "$tmp/ev.csv" --memory 16M --temp-dir "$tmp" --threads 1 | \
  cmp - "$tmp/moves.csv"
# Clean traces: precision and recall above 0.95.
"$KAZMIG" traces score --moves "$tmp/moves.csv" --truth "$tmp/truth.csv" --min-spell 90 \
  --format json >"$tmp/score.json"
python3 - "$tmp/score.json" <<'PY'
import json, sys
score = json.load(open(sys.argv[1]))[0]
assert score["precision"] > 0.95 and score["recall"] > 0.95, score
PY
# Flows by period, usable as orig,dest,flow tables.
"$KAZMIG" traces flows --moves "$tmp/moves.csv" --period quarter >"$tmp/flows.csv"
head -1 "$tmp/flows.csv" | grep -qx "orig,dest,flow,period"
total=$(tail -n +2 "$tmp/flows.csv" | awk -F, '{s += $3} END {print s}')
[ "$total" -eq "$(($(wc -l <"$tmp/moves.csv") - 1))" ]
[ "$(tail -n +2 "$tmp/flows.csv" | cut -d, -f4 | grep -cvE '^20[0-9]{2}-Q[1-4]$')" -eq 0 ]
# Transition curve: rates grow with the interval.
"$KAZMIG" traces curve --input "$tmp/ev.csv" --intervals 30,180,360 --buffers 7 >"$tmp/curve.csv"
head -1 "$tmp/curve.csv" | grep -qx "start,interval,buffer,users,movers,rate"
awk -F, 'NR > 2 && $6 <= prev {exit 1} NR > 1 {prev = $6}' "$tmp/curve.csv"
grep -qE "^20180101,360,7,[0-9]+,[0-9]+,0\.[0-9]+$" "$tmp/curve.csv"
# Frequency baselines (m3 needs hours).
"$KAZMIG" traces baseline --method m2 --input "$tmp/ev.csv" >"$tmp/m2.csv"
head -1 "$tmp/m2.csv" | grep -qx "user_id,month,home,destination"
[ "$("$KAZMIG" traces baseline --method m1 --input "$tmp/ev.csv" | wc -l)" -gt 100 ]
"$KAZMIG" traces simulate --users 50 --days 400 --seed 3 --with-time --out-events "$tmp/evt.csv" \
  --out-truth "$tmp/trutht.csv"
[ "$("$KAZMIG" traces baseline --method m3 --input "$tmp/evt.csv" | wc -l)" -gt 5 ]
set +e
"$KAZMIG" traces baseline --method m9 --input "$tmp/ev.csv" >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ]
# Bad moves file for flows: exit 3 located.
printf 'user_id,home,destination,migration_date\n1,A,B,2018-99-01\n' >"$tmp/badmoves.csv"
set +e
"$KAZMIG" traces flows --moves "$tmp/badmoves.csv" 2>"$tmp/err"; rc=$?
set -e
[ $rc -eq 3 ] && grep -q "badmoves.csv:2:4:" "$tmp/err"
# Golden outputs (captured with the binary before the use-case layer, issue 11): the same seed and
# options give these bytes in every format.
golden() {  # golden MD5 FILE
  [ "$(md5sum <"$2" | cut -d' ' -f1)" = "$1" ] || fail "$2 differs from its golden output"
}
"$KAZMIG" traces score --moves "$tmp/moves.csv" --truth "$tmp/truth.csv" --min-spell 90 \
  --format table >"$tmp/score.txt"
"$KAZMIG" traces flows --moves "$tmp/moves.csv" --period quarter --format json >"$tmp/flows.json"
"$KAZMIG" traces curve --input "$tmp/ev.csv" --intervals 30,180,360 --buffers 7 --format table \
  >"$tmp/curve.txt"
"$KAZMIG" traces baseline --method m2 --input "$tmp/ev.csv" --format table >"$tmp/m2.txt"
golden aa3c98c4d7dd28cec6489a3f36e5bdc6 "$tmp/ev.csv"
golden 0cec8142e660612e6e0807ddcf7fbbc3 "$tmp/truth.csv"
golden a48c108077826ec52ef2fec24e54ccb4 "$tmp/moves.csv"
golden 7ce98f3eee75a27038bade5697c00833 "$tmp/score.json"
golden 9316b7750580a0e497faad4015e325ee "$tmp/score.txt"
golden 491a558b82f8eac4d8d884a6be614aed "$tmp/flows.csv"
golden 8f008dc7cbdfad9f64561cdf0c6da75a "$tmp/flows.json"
golden 076f9056bd75cb4eb0a928d70396b75b "$tmp/curve.csv"
golden b4e5388b2dbea68655487181c90b1f29 "$tmp/curve.txt"
golden 94c97d28cea96e8c9f58989ecd371892 "$tmp/m2.csv"
golden cbcebe0dcfffdf81829e30f263dc975f "$tmp/m2.txt"
echo "traces pipeline: OK"
