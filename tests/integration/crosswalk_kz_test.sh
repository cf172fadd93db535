#!/usr/bin/env bash
# `kazmig crosswalk`: counts split by population weights and summed on merge (round trips exact),
# rates copied on split and weighted on merge, years kept, --with-provenance, bad input exits 3,
# missing weights 1.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Value of region $2 (and year $3, if given) in CSV $1.
value_of() { awk -F, -v r="$2" -v y="${3:-}" 'NR>1 && $1==r && (y=="" || $3==y) {print $2}' "$1"; }
# |a - b| <= 1e-9 * max(|a|, |b|)
near() { awk -v a="$1" -v b="$2" 'BEGIN { d=a-b; if (d<0) d=-d; m=(a<0?-a:a); if ((b<0?-b:b)>m) m=(b<0?-b:b);
  exit !(d <= 1e-9*m) }'; }

# Weights at 2022 borders (region,value), and 2018-border counts written with names in three
# languages and historic forms.
cat >"$tmp/weights.csv" <<'CSV'
region,value
10,600000
11,700000
15,900000
19,1400000
23,700000
27,690000
31,1200000
33,700000
35,1100000
39,820000
43,840000
47,790000
55,750000
59,520000
61,2100000
62,220000
63,720000
71,1400000
75,2200000
79,1200000
CSV
cat >"$tmp/in2018.csv" <<'CSV'
region,value
Akmola,738000
Aktobe,900000
Almaty region,2000000
Atyrau,650000
West Kazakhstan,650000
Jambyl,1100000
Karaganda,1380000
Kostanay,870000
Kyzylorda,800000
Mangystau,700000
Pavlodar,750000
North Kazakhstan,550000
Turkistan,2000000
Восточно-Казахстанская,1370000
Nur-Sultan,1200000
г. Алматы,1900000
Shymkent,1000000
CSV

# Counts 2018 -> 2022: East Kazakhstan (1,370,000) splits into Abai and East Kazakhstan 600:720.
"$KAZMIG" crosswalk --from kz-2018 --to kz-2022 --input "$tmp/in2018.csv" --weights "$tmp/weights.csv" \
  >"$tmp/out2022.csv"
head -1 "$tmp/out2022.csv" | grep -qx "region,value" || fail "header: $(head -1 "$tmp/out2022.csv")"
[ "$(tail -n +2 "$tmp/out2022.csv" | wc -l)" -eq 20 ] || fail "want 20 regions"
near "$(value_of "$tmp/out2022.csv" 10)" "$(awk 'BEGIN{printf "%.10f", 1370000*600000/1320000}')" || fail "Abai split"
near "$(value_of "$tmp/out2022.csv" 63)" "$(awk 'BEGIN{printf "%.10f", 1370000*720000/1320000}')" || fail "East Kazakhstan split"
[ "$(value_of "$tmp/out2022.csv" 71)" = "1200000" ] || fail "Astana unchanged"
# Totals are preserved.
total_in=$(awk -F, 'NR>1{s+=$2} END{printf "%.6f", s}' "$tmp/in2018.csv")
total_out=$(awk -F, 'NR>1{s+=$2} END{printf "%.6f", s}' "$tmp/out2022.csv")
near "$total_in" "$total_out" || fail "total $total_in -> $total_out"

# Round trip: merging back reproduces the input exactly (ids in the 2018 system's order).
"$KAZMIG" crosswalk --from kz-2022 --to kz-2018 --input "$tmp/out2022.csv" --weights "$tmp/weights.csv" \
  >"$tmp/back2018.csv"
"$KAZMIG" crosswalk --from kz-2018 --to kz-2018 --input "$tmp/in2018.csv" >"$tmp/ids2018.csv"
diff -u "$tmp/ids2018.csv" "$tmp/back2018.csv" || fail "count round trip is not exact"

# Rates: copied on split, population-weighted on merge.
"$KAZMIG" crosswalk --from kz-2018 --to kz-2022 --kind rate --input "$tmp/in2018.csv" \
  --weights "$tmp/weights.csv" >"$tmp/rates2022.csv"
[ "$(value_of "$tmp/rates2022.csv" 10)" = "1370000" ] || fail "rate copied to Abai"
[ "$(value_of "$tmp/rates2022.csv" 63)" = "1370000" ] || fail "rate copied to East Kazakhstan"
printf 'region,value\n10,2\n63,10\n' >"$tmp/r.csv"
"$KAZMIG" --quiet crosswalk --from kz-2022 --to kz-2018 --kind rate --input "$tmp/r.csv" \
  --weights "$tmp/weights.csv" >"$tmp/r2018.csv"
near "$(value_of "$tmp/r2018.csv" 63)" "$(awk 'BEGIN{printf "%.10f", (2*600000+10*720000)/1320000}')" || fail "rate merge"
[ "$(value_of "$tmp/r2018.csv" 11)" = "NA" ] || fail "absent rate should be NA"

# Years are kept, each converted on its own; 2009 -> 2022 splits South Kazakhstan as well.
printf 'region,value,year\nSouth Kazakhstan,3300000,2015\nЮКО,3400000,2016\nEast Kazakhstan,1400000,2016\n' \
  >"$tmp/y.csv"
"$KAZMIG" --quiet crosswalk --from kz-2009 --to kz-2022 --input "$tmp/y.csv" --weights "$tmp/weights.csv" \
  >"$tmp/y2022.csv"
head -1 "$tmp/y2022.csv" | grep -qx "region,value,year" || fail "year header"
[ "$(tail -n +2 "$tmp/y2022.csv" | wc -l)" -eq 40 ] || fail "want 2 years x 20 regions"
near "$(value_of "$tmp/y2022.csv" 79 2015)" "$(awk 'BEGIN{printf "%.10f", 3300000*1200000/3300000}')" || fail "Shymkent 2015"
[ "$(value_of "$tmp/y2022.csv" 63 2015)" = "0" ] || fail "absent count is 0"

# JSON and table outputs.
"$KAZMIG" crosswalk --from kz-2018 --to kz-2022 --input "$tmp/in2018.csv" --weights "$tmp/weights.csv" \
  --format json >"$tmp/out.json"
for key in '"from": "kz-2018"' '"to": "kz-2022"' '"kind": "count"' '"values"' '"method"'; do
  grep -q "$key" "$tmp/out.json" || fail "json lacks $key"
done
"$KAZMIG" crosswalk --from kz-2018 --to kz-2022 --input "$tmp/in2018.csv" --weights "$tmp/weights.csv" \
  --format table | grep -q "Ulytau" || fail "table output"

# --with-provenance: each row names the crosswalk, the input with the provenance of the input rows
# that contribute to it, and the weights. East Kazakhstan (2018) feeds Abai (10) and East Kazakhstan
# (63) of 2022; Akmola (11) is unchanged.
printf 'region,value,provenance\nEast Kazakhstan,1370000,official: A\nAkmola,738000,official: B\n' \
  >"$tmp/prov.csv"
"$KAZMIG" --quiet crosswalk --from kz-2018 --to kz-2022 --input "$tmp/prov.csv" \
  --weights "$tmp/weights.csv" --with-provenance >"$tmp/prov2022.csv"
python3 - "$tmp/prov2022.csv" "$tmp/prov.csv" "$tmp/weights.csv" <<'PY' || fail "provenance column"
import csv, sys
rows = {r["region"]: r for r in csv.DictReader(open(sys.argv[1]))}
assert len(rows) == 20 and all("provenance" in r for r in rows.values()), rows
head = ("computed by kazmig crosswalk kz-2018 -> kz-2022 (split by population weight, sum on "
        "merge; atoms of the built-in region systems) from ")
for region, source in [("10", "A"), ("63", "A"), ("11", "B")]:
    want = f"{head}{sys.argv[2]} [official: {source}], {sys.argv[3]}"
    assert rows[region]["provenance"] == want, (region, rows[region]["provenance"], want)
assert rows["75"]["provenance"] == f"{head}{sys.argv[2]}, {sys.argv[3]}", rows["75"]
PY
# Without the flag the output has no provenance column.
"$KAZMIG" --quiet crosswalk --from kz-2018 --to kz-2022 --input "$tmp/prov.csv" \
  --weights "$tmp/weights.csv" | head -1 | grep -qx "region,value" || fail "provenance without flag"

to2022=(crosswalk --from kz-2018 --to kz-2022)
# Bad input: unknown region, missing column, duplicated region -> exit 3 with FILE:LINE:COLUMN.
printf 'region,value\nAkmola,1\nAtlantis,2\n' >"$tmp/bad.csv"
expect_exit -F 3 "bad.csv:3:1: unknown region 'Atlantis'" "$KAZMIG" "${to2022[@]}" \
  --input "$tmp/bad.csv" --weights "$tmp/weights.csv"
printf 'region,count\nAkmola,1\n' >"$tmp/nocol.csv"
expect_exit -F 3 "value" "$KAZMIG" "${to2022[@]}" --input "$tmp/nocol.csv" --weights "$tmp/weights.csv"
printf 'region,value\nAkmola,1\n11,2\n' >"$tmp/dup.csv"
expect_exit -F 3 "dup.csv:3:1:" "$KAZMIG" "${to2022[@]}" --input "$tmp/dup.csv" \
  --weights "$tmp/weights.csv"
printf 'region,value\n10,1\n' >"$tmp/badw.csv"
expect_exit -F 3 "no usable weight" "$KAZMIG" "${to2022[@]}" --input "$tmp/in2018.csv" \
  --weights "$tmp/badw.csv"
# Usage: unknown vintage, both weight options.
expect_exit -F 2 "" "$KAZMIG" crosswalk --from kz-1999 --to kz-2022 --input "$tmp/in2018.csv"
expect_exit -F 2 "" "$KAZMIG" "${to2022[@]}" --input "$tmp/in2018.csv" --weights "$tmp/weights.csv" \
  --weights-year 2020
# No weights in an empty database (no built-in data) -> exit 1 saying what to do.
mkdir -p "$tmp/nodata"
expect_exit -F 1 "kazmig data init" env KAZMIG_DATA_DIR="$tmp/nodata" "$KAZMIG" --db "$tmp/empty.db" \
  "${to2022[@]}" --input "$tmp/in2018.csv"
# A conversion within one vintage needs no weights.
KAZMIG_DATA_DIR="$tmp/nodata" "$KAZMIG" --db "$tmp/empty.db" crosswalk --from kz-2022 --to kz-2022 \
  --input "$tmp/out2022.csv" >"$tmp/same.csv"
diff -q "$tmp/out2022.csv" "$tmp/same.csv" >/dev/null || fail "identity conversion"

# Default weights from the built-in population (when the built-in dataset is in the repository).
if [ -f "$KAZMIG_SOURCE_DIR/data/kz/provenance.csv" ]; then
  "$KAZMIG" --quiet crosswalk --from kz-2018 --to kz-2022 --input "$tmp/in2018.csv" >"$tmp/store2022.csv"
  "$KAZMIG" --quiet crosswalk --from kz-2022 --to kz-2018 --input "$tmp/store2022.csv" >"$tmp/storeback.csv"
  diff -u "$tmp/ids2018.csv" "$tmp/storeback.csv" || fail "round trip with store weights"
  "$KAZMIG" --quiet crosswalk --from kz-2018 --to kz-2022 --input "$tmp/in2018.csv" --weights-year 2015 \
    >"$tmp/store2015.csv"
  ! diff -q "$tmp/store2022.csv" "$tmp/store2015.csv" >/dev/null || fail "--weights-year has no effect"
  # Store weights: the provenance names them with the official source of the population used.
  "$KAZMIG" --quiet crosswalk --from kz-2018 --to kz-2022 --input "$tmp/in2018.csv" --with-provenance \
    >"$tmp/storeprov.csv"
  python3 - "$tmp/storeprov.csv" <<'PY' || fail "store weights provenance"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
p = rows[0]["provenance"]
assert "weights population_avg 2018 (Turkistan, Shymkent) and 2022 (other regions) (store) [official: BNS" in p, p
PY
else
  echo "SKIP: data/kz built-in dataset absent; store weights not tested"
fi
echo "crosswalk: ok"
