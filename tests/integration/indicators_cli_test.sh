#!/usr/bin/env bash
# `kazmig indicators`: JSON keys present/absent, reference values, per-year output, regions, age,
# MAUP determinism across thread counts, and exit codes for bad input.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fx="$KAZMIG_SOURCE_DIR/tests/fixtures/indicators"
# jq-free JSON checks through python3.
pyjson() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1"; }

# --- flows only: population- and distance-based keys absent --------------------------------------
"$KAZMIG" indicators --flows "$fx/hyp_flows.csv" --format json >"$tmp/hyp.json" || fail "hyp json"
pyjson "$tmp/hyp.json" '
need = ["n","total_flow","mei","gini_total","gini_total_corrected","gini_row","gini_row_std",
        "gini_col","gini_col_std","gini_exchange_std","gini_out","gini_in","mwg_in","mwg_out",
        "mwg_mean","cv_in","cv_out","acv","acv_in","acv_out","connectivity","method"]
missing = [k for k in need if k not in d]
assert not missing, missing
absent = [k for k in ["cmp","courgeau_k","anmr","preference","velocity","mean_distance",
                      "median_distance","decay"] if k in d]
assert not absent, absent
near = lambda a, b: abs(a - b) <= 1e-6 * max(1, abs(b))
assert d["n"] == 3 and near(d["total_flow"], 120), (d["n"], d["total_flow"])
assert near(d["gini_total"], 0.2222222) and near(d["gini_total_corrected"], 0.2666667)
assert near(d["gini_col_std"], 25) and near(d["gini_exchange_std"], 25) and near(d["mei"], 25)
assert near(d["gini_in"]["B"], 0.5) and near(d["gini_out"]["C"], 0)
assert near(d["mwg_in"], 0.1222222) and near(d["mwg_mean"], 0.06111111) and near(d["acv"], 0.3333333)
assert isinstance(d["cv_in"], dict) and set(d["cv_in"]) == {"A","B","C"}
' || fail "hyp JSON keys/values"

# --- with population and distances: every key, and the ANMR identity ------------------------------
"$KAZMIG" indicators --flows "$fx/hyp_flows.csv" --population "$fx/hyp_population.csv" \
  --distance "$fx/hyp_distance.csv" --format json >"$tmp/full.json" || fail "full json"
pyjson "$tmp/full.json" '
for k in ["cmp","courgeau_k","anmr","preference","velocity","mean_distance","median_distance","decay"]:
    assert k in d, k
import math
assert abs(d["cmp"] - 2.0) < 1e-12, d["cmp"]
assert abs(d["anmr"] - d["cmp"] * d["mei"] / 100) < 1e-12
assert abs(d["courgeau_k"] - 2.0 / math.log(9)) < 1e-12
assert abs(d["mean_distance"] - (10*100+10*200+20*100+20*150+30*200+30*150)/120) < 1e-9
assert d["method"]["decay"]["converged"] is True
' || fail "full JSON"

# --- CSV and table -----------------------------------------------------------------------------
"$KAZMIG" indicators --flows "$fx/hyp_flows.csv" --format csv >"$tmp/hyp.csv"
head -1 "$tmp/hyp.csv" | grep -qx "indicator,value" || fail "csv header"
grep -qx "mei,25" "$tmp/hyp.csv" || fail "csv mei row"
grep -q "^gini_in.B,0.5$" "$tmp/hyp.csv" || fail "csv per-region row"
"$KAZMIG" indicators --flows "$fx/hyp_flows.csv" --format table | grep -q "gini_total_corrected" \
  || fail "table"

# --- flows with a year column: one object per year -----------------------------------------------
{
  echo "orig,dest,flow,year"
  tail -n +2 "$fx/hyp_flows.csv" | sed 's/$/,2022/'
  tail -n +2 "$fx/hyp_flows.csv" | awk -F, '{print $1","$2","2*$3",2023"}'
} >"$tmp/years.csv"
"$KAZMIG" indicators --flows "$tmp/years.csv" --format json >"$tmp/years.json"
pyjson "$tmp/years.json" '
assert set(d) == {"2022","2023"}, list(d)
assert abs(d["2023"]["total_flow"] - 2 * d["2022"]["total_flow"]) < 1e-9
assert abs(d["2023"]["gini_total"] - d["2022"]["gini_total"]) < 1e-12
' || fail "per-year JSON"
"$KAZMIG" indicators --flows "$tmp/years.csv" --year 2023 --format csv | grep -qx "total_flow,240" \
  || fail "--year filter"

# --- regions -------------------------------------------------------------------------------------
"$KAZMIG" indicators regions --flows "$fx/hyp_flows.csv" --population "$fx/hyp_population.csv" \
  >"$tmp/regions.csv"
head -1 "$tmp/regions.csv" | grep -q "^region,population,in,out,net,gross,in_rate,out_rate,net_rate" \
  || fail "regions header"
grep -q "^A,1000,50,20,30,70,50,20,30,70," "$tmp/regions.csv" || fail "regions row A"
[ "$(wc -l <"$tmp/regions.csv")" -eq 4 ] || fail "regions row count"

# --- age -----------------------------------------------------------------------------------------
"$KAZMIG" indicators age --rates "$fx/age_rates.csv" --fit rc7 --format json >"$tmp/age.json"
pyjson "$tmp/age.json" '
assert d["peak_age"] == 24, d["peak_age"]
assert abs(d["rc"]["mu2"] - 20.5) < 0.05, d["rc"]
assert d["method"]["fit"]["converged"] is True
' || fail "age"
# An over-parameterised form still finds the same schedule (exit 0, converged).
"$KAZMIG" indicators age --rates "$fx/age_rates.csv" --fit rc11 --format csv >"$tmp/age11.csv" \
  || fail "age rc11"
grep -q "^rc.mu2,20.4" "$tmp/age11.csv" || fail "age rc11 mu2: $(grep mu2 "$tmp/age11.csv")"

# --- MAUP: identical for 1 and 2 threads, k = n reproduces the basic units --------------------------
maup=(indicators maup --flows "$fx/grid_flows.csv" --population "$fx/grid_population.csv"
      --adjacency "$fx/grid_edges.csv" --k 4,9,36 --replications 50 --seed 7)
"$KAZMIG" --threads 1 "${maup[@]}" >"$tmp/maup1.csv"
"$KAZMIG" --threads 2 "${maup[@]}" >"$tmp/maup2.csv"
cmp -s "$tmp/maup1.csv" "$tmp/maup2.csv" || fail "MAUP differs between 1 and 2 threads"
"$KAZMIG" "${maup[@]}" --format json >"$tmp/maup.json"
pyjson "$tmp/maup.json" '
last = d["per_k"][-1]
assert last["k"] == 36 and abs(last["cmi"]["mean"] - d["basic_cmi"]) < 1e-9
assert d["per_k"][0]["cmi"]["mean"] < d["basic_cmi"]
' || fail "MAUP JSON"

# --- trends and multiplicative components ---------------------------------------------------------
"$KAZMIG" indicators trends --flows "$tmp/years.csv" --population "$fx/hyp_population.csv" \
  >"$tmp/trends.csv" || fail "trends"
head -1 "$tmp/trends.csv" | grep -q "^region,indicator,first_year,last_year,first,last,change" \
  || fail "trends header"
# A's arrivals double from 50 to 100 in one year: change 50, CAGR 1.
grep -q "^A,in,2022,2023,50,100,50,100,1,2023,50," "$tmp/trends.csv" || fail "trends row A in"
grep -q "^all,mei,2022,2023,25,25,0,0,0," "$tmp/trends.csv" || fail "trends mei row"
"$KAZMIG" indicators components --flows "$fx/hyp_flows.csv" >"$tmp/comp.csv" || fail "components"
grep -qx "A,B,10,6.666666666666666,1.5" "$tmp/comp.csv" || fail "components row A,B"

# --- MAUP with adjacency from GeoJSON polygons (the built-in 2022 regions share their borders) -------
geo="$KAZMIG_SOURCE_DIR/data/kz/regions-2022.geojson"
[ -f "$geo" ] || fail "$geo missing: the built-in data are part of the repository"
{
  python3 - "$geo" "$tmp" <<'PY'
import json, sys
ids = [f["properties"]["id"] for f in json.load(open(sys.argv[1]))["features"]]
with open(sys.argv[2] + "/kz_flows.csv", "w") as f:
    f.write("orig,dest,flow\n")
    for i, a in enumerate(ids):
        for j, b in enumerate(ids):
            if a != b:
                f.write(f"{a},{b},{(i * 7 + j * 3) % 17 + 1}\n")
with open(sys.argv[2] + "/kz_pop.csv", "w") as f:
    f.write("region,value\n")
    for i, a in enumerate(ids):
        f.write(f"{a},{100000 + i * 1000}\n")
PY
  "$KAZMIG" indicators maup --flows "$tmp/kz_flows.csv" --population "$tmp/kz_pop.csv" \
    --adjacency "$geo" --k 1,5,20 --replications 30 --format json >"$tmp/kz_maup.json" \
    || fail "MAUP with GeoJSON adjacency"
  pyjson "$tmp/kz_maup.json" '
assert d["units"] == 20 and d["components"] == 1, (d["units"], d["components"])
k1, k5, k20 = d["per_k"]
assert k1["cmi"]["max"] == 0 and 0 < k5["cmi"]["mean"] < k20["cmi"]["mean"]
assert abs(k20["cmi"]["mean"] - d["basic_cmi"]) < 1e-9
' || fail "MAUP GeoJSON JSON"
}

# --- bad input: exit 3 with FILE:LINE --------------------------------------------------------------
expect3() {  # expect3 PATTERN ARGS...: `kazmig ARGS` exits 3 with PATTERN on stderr
  local pattern=$1
  shift
  expect_exit 3 "$pattern" "$KAZMIG" "$@"
}
printf 'orig,dest,flow\nA,B,10\nA,C,-5\n' >"$tmp/neg.csv"
expect3 "neg.csv:3:3:" indicators --flows "$tmp/neg.csv"
printf 'orig,dest,flow\nA,B,10\nB,A,nan\n' >"$tmp/nan.csv"
expect3 "nan.csv:3:3:" indicators --flows "$tmp/nan.csv"
printf 'orig,dest,flow\nA,B,10\nB,A,3\nA,B,4\n' >"$tmp/dup.csv"
expect3 "dup.csv:4:" indicators --flows "$tmp/dup.csv"
printf 'region,value\nA,100\nB,200\n' >"$tmp/pop_missing.csv"
expect3 "hyp_flows.csv:4:2: .*region 'C' is not in the population file" \
  indicators --flows "$fx/hyp_flows.csv" --population "$tmp/pop_missing.csv"
printf 'region,value\nA,100\nB,0\nC,5\n' >"$tmp/pop_zero.csv"
expect3 "pop_zero.csv:3:2: population of region 'B' is 0" \
  indicators --flows "$fx/hyp_flows.csv" --population "$tmp/pop_zero.csv"
expect3 "pop_zero.csv:3:2:" indicators regions --flows "$fx/hyp_flows.csv" --population "$tmp/pop_zero.csv"
printf 'orig,dest,distance\nA,B,5\nA,C,4\nB,A,5\nA,B,6\n' >"$tmp/dist_dup.csv"
expect3 "dist_dup.csv:5: duplicated pair (A, B), first given on line 2" \
  indicators --flows "$fx/hyp_flows.csv" --distance "$tmp/dist_dup.csv"
printf 'orig,dest,distance\nA,B,0\n' >"$tmp/dist0.csv"
expect3 "dist0.csv:2:3:" indicators --flows "$fx/hyp_flows.csv" --distance "$tmp/dist0.csv"
printf 'age,rate\n0,0.1\n1,-0.2\n2,0.1\n' >"$tmp/age_neg.csv"
expect3 "age_neg.csv:3:2:" indicators age --rates "$tmp/age_neg.csv"

# --- built-in data: only the net-based indicators, and the others named ---------------------------
[ -f "$KAZMIG_SOURCE_DIR/data/kz/net_internal.csv" ] ||
  fail "data/kz missing: the built-in data are part of the repository"
{
  "$KAZMIG" --db "$tmp/kz.db" indicators --dataset kz --year 2023 --format json >"$tmp/kz.json" \
    || fail "--dataset kz"
  pyjson "$tmp/kz.json" '
for k in ["n","population","anmr","net","net_rate","method"]:
    assert k in d, k
for k in ["mei","cmp","gini_total","acv","connectivity"]:
    assert k not in d, k
assert "mei" in d["method"]["not_computed"] and "cmp" in d["method"]["not_computed"]
assert abs(d["net_sum"]) < 1e-6, d["net_sum"]          # internal nets cancel
assert d["net"]["71"] == 50078, d["net"]["71"]          # Astana 2023 (PROVENANCE.md)
assert d["net_rate"]["71"] > 0 and d["net_rate"]["61"] < 0
' || fail "--dataset kz JSON"
  # The BNS press release for 2022: positive inter-regional balances in Almaty +35,302, Astana
  # +33,798, Shymkent +2,756 and Almaty region +898 (PROVENANCE.md); rates per 1,000 follow.
  "$KAZMIG" --db "$tmp/kz.db" indicators --dataset kz --year 2022 --format json >"$tmp/kz22.json"
  pyjson "$tmp/kz22.json" '
assert [d["net"][k] for k in ["75", "71", "79", "19"]] == [35302, 33798, 2756, 898], d["net"]
assert sum(1 for v in d["net"].values() if v > 0) == 4
assert 10 < d["net_rate"]["75"] < 25, d["net_rate"]["75"]
' || fail "--dataset kz 2022 published balances"
  # The year's estimated OD matrix (the report's): labelled and separate, every band contains its
  # central value, and the official keys are unchanged.
  "$KAZMIG" --db "$tmp/kz.db" indicators --dataset kz --year 2024 --format json >"$tmp/kz24.json"
  pyjson "$tmp/kz24.json" '
assert sorted(d) == ["anmr","estimated","method","n","net","net_rate","net_sum","population"], sorted(d)
e = d["estimated"]
assert e["kind"] == "estimated" and "constrained to the official regional nets" in e["method"], e
assert e["provenance"].startswith("estimated: model-based"), e["provenance"]
assert e["runs"] == 9, e["runs"]
for k in ["total_flow","cmp","cmp_per_1000","courgeau_k","mei","anmr","gini_total",
          "gini_total_corrected","mwg_mean","acv","connectivity"]:
    assert e[k]["low"] <= e[k]["value"] <= e[k]["high"], (k, e[k])
for k in ["total_flow","cmp","mei","gini_total_corrected","acv"]:
    assert e[k]["low"] < e[k]["high"], (k, e[k])      # the assumptions move them
# Constrained to the official nets: the matrix ANMR is the official one; ANMR = CMP MEI / 100.
assert abs(e["anmr"]["value"] - d["anmr"]) < 1e-6 * d["anmr"], (e["anmr"], d["anmr"])
assert abs(e["cmp"]["value"] * e["mei"]["value"] / 100 - d["anmr"]) < 1e-6 * d["anmr"]
assert 0 < e["mei"]["value"] < 100 and 0 < e["gini_total_corrected"]["value"] < 1
' || fail "--dataset kz estimated block"
  "$KAZMIG" --db "$tmp/kz.db" indicators --dataset kz --year 2024 --format csv >"$tmp/kz24.csv"
  grep -q '^anmr,' "$tmp/kz24.csv" || fail "official anmr row"
  for row in estimated.cmp estimated.cmp.low estimated.cmp.high estimated.mei.high \
    estimated.gini_total_corrected estimated.acv.low; do
    grep -q "^$row," "$tmp/kz24.csv" || fail "CSV row $row"
  done
  ! grep -q '^mei,\|^cmp,' "$tmp/kz24.csv" || fail "an estimated value in an official row"
}


# --- --regions: ids resolved through the built-in system (names, ISO, historic names) -------------
printf 'orig,dest,flow\nAstana,75,100\nг. Алматы,Nur-Sultan,50\nKZ-SHY,75,30\n' >"$tmp/kz_named.csv"
{ echo "region,value"; for id in 10 11 15 19 23 27 31 33 35 39 43 47 55 59 61 62 63 71 75 79; do
    echo "$id,1000000"; done; echo "KZ,20000000"; } >"$tmp/kz_pop_flat.csv"
"$KAZMIG" indicators --regions kz-2022 --flows "$tmp/kz_named.csv" \
  --population "$tmp/kz_pop_flat.csv" --format json >"$tmp/kz_named.json" || fail "--regions"
pyjson "$tmp/kz_named.json" '
assert d["n"] == 20 and d["total_flow"] == 180, (d["n"], d["total_flow"])
assert abs(d["cmp"] - 100 * 180 / 20e6) < 1e-15
assert set(d["gini_in"]) >= {"71", "75", "79"}
' || fail "--regions JSON"
printf 'orig,dest,flow\nAstana,Atlantis,1\n' >"$tmp/kz_bad.csv"
expect3 "kz_bad.csv:2:2: unknown region 'Atlantis'" indicators --regions kz-2022 --flows "$tmp/kz_bad.csv"

# --- --with-provenance: every CSV output names its inputs and their own provenance ----------------
{ echo "orig,dest,flow,provenance"; tail -n +2 "$fx/hyp_flows.csv" | sed 's/$/,official: test source/'; } \
  >"$tmp/prov_flows.csv"
"$KAZMIG" indicators regions --flows "$tmp/prov_flows.csv" --population "$fx/hyp_population.csv" \
  --with-provenance >"$tmp/prov_regions.csv" || fail "regions --with-provenance"
python3 - "$tmp/prov_regions.csv" "$tmp/prov_flows.csv" "$fx/hyp_population.csv" <<'PY' || fail "regions provenance"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
want = (f"computed by kazmig indicators regions from {sys.argv[2]} [official: test source], "
        f"{sys.argv[3]}")
assert len(rows) == 3 and all(r["provenance"] == want for r in rows), (rows[0], want)
PY
"$KAZMIG" indicators --flows "$fx/hyp_flows.csv" --with-provenance | grep -qx \
  "mei,25,computed by kazmig indicators from $fx/hyp_flows.csv" || fail "indicators provenance"
"$KAZMIG" indicators --flows "$fx/hyp_flows.csv" | head -1 | grep -qx "indicator,value" \
  || fail "provenance column without the flag"
"$KAZMIG" indicators components --flows "$fx/hyp_flows.csv" --with-provenance | tail -1 | grep -q \
  ",computed by kazmig indicators components from $fx/hyp_flows.csv$" || fail "components provenance"
"$KAZMIG" indicators age --rates "$fx/age_rates.csv" --with-provenance | grep -q \
  "^gmr,.*,computed by kazmig indicators age from $fx/age_rates.csv$" || fail "age provenance"
"$KAZMIG" indicators trends --flows "$tmp/years.csv" --with-provenance | tail -1 | grep -q \
  ",computed by kazmig indicators trends from $tmp/years.csv$" || fail "trends provenance"
"$KAZMIG" "${maup[@]}" --with-provenance | tail -1 | grep -q \
  ",\"computed by kazmig indicators maup from $fx/grid_flows.csv, $fx/grid_population.csv, $fx/grid_edges.csv\"$" \
  || fail "maup provenance"
{
  # --dataset kz: the official series used, with the store's provenance of the values of that year.
  "$KAZMIG" --db "$tmp/kz.db" indicators --dataset kz --year 2023 --with-provenance >"$tmp/kz_prov.csv"
  python3 - "$tmp/kz_prov.csv" <<'PY' || fail "--dataset kz provenance"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
p = rows[0]["provenance"]
assert all(r["provenance"] == p for r in rows)
assert p.startswith("computed by kazmig indicators from kz:net_internal [official: BNS internal "
                    "migration by region"), p
assert "internal_migration_2023.csv" in p and "internal_migration_2022.csv" not in p, p
assert "kz:population_avg [official: BNS table 6576" in p, p
PY
  "$KAZMIG" --db "$tmp/kz.db" indicators trends --dataset kz --with-provenance | tail -1 \
    | grep -q "computed by kazmig indicators trends from kz:net_internal \[official: " \
    || fail "trends --dataset kz provenance"
}

# --- usage errors: exit 2 ------------------------------------------------------------------------
set +e
"$KAZMIG" indicators >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "no --flows: exit $rc, want 2"
"$KAZMIG" indicators age --rates "$fx/age_rates.csv" --fit rc8 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "bad --fit: exit $rc, want 2"
"$KAZMIG" "${maup[@]}" --k 4,x >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "bad --k: exit $rc, want 2"
set -e
echo "indicators CLI: OK"
