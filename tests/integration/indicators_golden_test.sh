#!/usr/bin/env bash
# `kazmig indicators`: byte-for-byte golden outputs of every subcommand in every format (csv, json,
# table; with and without --with-provenance; per-year files; --year; --dataset kz) and the exit
# codes and messages of its errors. The expected files were captured from the binary before the
# command moved to the use-case layer (app/indicators.h), so a refactoring that changes a byte
# fails here.
#
# Each case NAME compares stdout with golden/expected/NAME.out and, when the command exits non-zero
# or writes to stderr, "exit CODE" plus stderr with golden/expected/NAME.err (absent: exit 0, quiet).
# Inputs are named relative to tests/fixtures/indicators/golden, so provenance texts do not depend
# on where the repository is. To re-capture after a deliberate change:
#   KAZMIG_GOLDEN_UPDATE=1 KAZMIG=build/bin/kazmig KAZMIG_SOURCE_DIR=$PWD \
#     bash tests/integration/indicators_golden_test.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
golden="$KAZMIG_SOURCE_DIR/tests/fixtures/indicators/golden"
expected="$golden/expected"
update=${KAZMIG_GOLDEN_UPDATE:-}
cd "$golden"
failures=0

# run NAME ARGS...: `kazmig ARGS` against the expected files of NAME.
run() {
  local name=$1 rc=0
  shift
  "$KAZMIG" "$@" >"$tmp/$name.out" 2>"$tmp/$name.stderr" || rc=$?
  if [ "$rc" -ne 0 ] || [ -s "$tmp/$name.stderr" ]; then
    { echo "exit $rc"; cat "$tmp/$name.stderr"; } >"$tmp/$name.err"
  fi
  if [ -n "$update" ]; then
    mkdir -p "$expected"
    cp "$tmp/$name.out" "$expected/$name.out"
    rm -f "$expected/$name.err"
    [ ! -f "$tmp/$name.err" ] || cp "$tmp/$name.err" "$expected/$name.err"
    return
  fi
  if ! cmp -s "$tmp/$name.out" "$expected/$name.out"; then
    echo "FAIL: $name: stdout differs (kazmig $*)" >&2
    diff "$expected/$name.out" "$tmp/$name.out" | head -20 >&2 || true
    failures=$((failures + 1))
  fi
  if [ -f "$expected/$name.err" ] || [ -f "$tmp/$name.err" ]; then
    if ! cmp -s "$tmp/$name.err" "$expected/$name.err" 2>/dev/null; then
      echo "FAIL: $name: exit code or stderr differs (kazmig $*)" >&2
      diff "$expected/$name.err" "$tmp/$name.err" 2>&1 | head -10 >&2 || true
      failures=$((failures + 1))
    fi
  fi
}

# every_format NAME ARGS...: NAME_csv, NAME_json, NAME_table, and the three with --with-provenance.
every_format() {
  local name=$1 format
  shift
  for format in csv json table; do
    run "${name}_$format" "$@" --format "$format"
    run "${name}_${format}_prov" "$@" --format "$format" --with-provenance
  done
}

# --- system-wide indicators from files ----------------------------------------------------------
every_format system_flows indicators --flows ../hyp_flows.csv
every_format system_full indicators --flows ../hyp_flows.csv --population ../hyp_population.csv \
  --distance ../hyp_distance.csv
run system_full_nodecay_json indicators --flows ../hyp_flows.csv --population ../hyp_population.csv \
  --distance ../hyp_distance.csv --no-decay --format json
every_format system_years indicators --flows years_flows.csv --population years_population.csv
every_format system_year2023 indicators --flows years_flows.csv --population ../hyp_population.csv \
  --year 2023
every_format system_provflows indicators --flows prov_flows.csv --population ../hyp_population.csv
every_format system_regions indicators --regions kz-2022 --flows kz_named_flows.csv \
  --population kz_pop_flat.csv
run system_zero_cells_csv indicators --flows zero_cells_flows.csv

# --- regions --------------------------------------------------------------------------------------
every_format regions_pop indicators regions --flows ../hyp_flows.csv --population ../hyp_population.csv
every_format regions_nopop indicators regions --flows zero_cells_flows.csv
every_format regions_years indicators regions --flows years_flows.csv --population years_population.csv
every_format regions_year2022 indicators regions --flows years_flows.csv \
  --population years_population.csv --year 2022
every_format regions_provflows indicators regions --flows prov_flows.csv \
  --population ../hyp_population.csv
every_format regions_kz indicators regions --regions kz-2022 --flows kz_named_flows.csv \
  --population kz_pop_flat.csv

# --- age ----------------------------------------------------------------------------------------------
every_format age indicators age --rates ../age_rates.csv
every_format age_rc7 indicators age --rates ../age_rates.csv --fit rc7

# --- maup -----------------------------------------------------------------------------------------
every_format maup indicators maup --flows ../grid_flows.csv --population ../grid_population.csv \
  --adjacency ../grid_edges.csv --k 4,9,36 --replications 50 --seed 7
run maup_threads1_csv --threads 1 indicators maup --flows ../grid_flows.csv \
  --population ../grid_population.csv --adjacency ../grid_edges.csv --k 4,9 --replications 20
run maup_geojson_json indicators maup --flows kz_maup_flows.csv --population kz_pop_flat.csv \
  --adjacency ../../../../data/kz/regions-2022.geojson --k 2,5 --replications 10 --format json

# --- trends -----------------------------------------------------------------------------------------
every_format trends indicators trends --flows years_flows.csv --population years_population.csv
every_format trends_nopop indicators trends --flows years_flows.csv

# --- components -------------------------------------------------------------------------------------
every_format components indicators components --flows ../hyp_flows.csv
every_format components_zero indicators components --flows zero_cells_flows.csv

# --- --output writes the same bytes -----------------------------------------------------------------
"$KAZMIG" indicators --flows ../hyp_flows.csv --format table --output "$tmp/out.txt" ||
  fail "--output"
[ -n "$update" ] || cmp -s "$tmp/out.txt" "$expected/system_flows_table.out" ||
  fail "--output differs from stdout"

# --- built-in dataset -------------------------------------------------------------------------------
[ -f "$KAZMIG_SOURCE_DIR/data/kz/net_internal.csv" ] || fail "data/kz missing: the built-in data are part of the repository"
{
  db=(--db "$tmp/kz.db")
  every_format dataset_2023 "${db[@]}" indicators --dataset kz --year 2023
  every_format dataset_all "${db[@]}" indicators --dataset kz
  every_format trends_dataset "${db[@]}" indicators trends --dataset kz
  run dataset_no_year_err "${db[@]}" indicators --dataset kz --year 1990
  run dataset_population_err "${db[@]}" indicators --dataset kz --population ../hyp_population.csv
}

# --- errors: exit codes and messages ----------------------------------------------------------------
run err_no_flows indicators
run err_unknown_dataset indicators --dataset xx
run err_flows_and_dataset indicators --dataset kz --flows ../hyp_flows.csv
run err_negative indicators --flows bad_negative.csv
run err_pop_missing indicators --flows ../hyp_flows.csv --population bad_pop_missing.csv
run err_pop_zero indicators --flows ../hyp_flows.csv --population bad_pop_zero.csv
run err_regions_pop_zero indicators regions --flows ../hyp_flows.csv --population bad_pop_zero.csv
run err_no_moves indicators --flows bad_no_moves.csv
run err_year_absent indicators --flows years_flows.csv --year 1999
run system_pop_years_year_json indicators --flows years_flows.csv --population years_population.csv \
  --year 2023 --format json
run err_pop_several_years indicators --flows ../hyp_flows.csv --population years_population.csv
run err_trends_no_year indicators trends --flows ../hyp_flows.csv
run err_trends_nothing indicators trends
run err_trends_unknown_dataset indicators trends --dataset xx
run err_components_no_moves indicators components --flows bad_no_moves.csv
run err_age_two indicators age --rates bad_two_ages.csv
run err_maup_k indicators maup --flows ../grid_flows.csv --population ../grid_population.csv \
  --adjacency ../grid_edges.csv --k 4,x
run err_maup_k_too_large indicators maup --flows ../grid_flows.csv \
  --population ../grid_population.csv --adjacency ../grid_edges.csv --k 400
run err_maup_replications indicators maup --flows ../grid_flows.csv \
  --population ../grid_population.csv --adjacency ../grid_edges.csv --replications 0
run err_maup_pop_missing indicators maup --flows ../hyp_flows.csv \
  --population bad_pop_missing.csv --adjacency ../grid_edges.csv

if [ -n "$update" ]; then
  echo "indicators golden: expected files written to $expected"
  exit 0
fi
[ "$failures" -eq 0 ] || fail "$failures golden comparisons differ"
echo "indicators golden: OK"
