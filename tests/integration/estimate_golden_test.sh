#!/usr/bin/env bash
# Golden outputs of `kazmig estimate ...` and `kazmig crosswalk ...`: stdout, stderr and the exit
# code of every subcommand in every format, byte for byte, as the command printed them before its
# computations moved to the use-case layer (issue 11). Each case is one file
# tests/fixtures/estimate/golden/NAME.txt holding stdout, a line "--- stderr", stderr and a line
# "--- exit CODE". The commands run in the fixtures folder so the paths they print are relative.
# To record a deliberate change: KAZMIG_UPDATE_GOLDEN=1 bash tests/integration/estimate_golden_test.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
FIX="$KAZMIG_SOURCE_DIR/tests/fixtures/estimate"
GOLDEN="$FIX/golden"
cd "$FIX"
failures=0

# golden NAME ARGS...: runs kazmig ARGS and compares what it printed with $GOLDEN/NAME.txt.
golden() {
  local name=$1 rc
  shift
  set +e
  "$KAZMIG" "$@" >"$tmp/out.txt" 2>"$tmp/err.txt"
  rc=$?
  set -e
  # The database lives in $tmp, whose name changes from run to run.
  { cat "$tmp/out.txt"; echo "--- stderr"; sed "s|$tmp|TMP|g" "$tmp/err.txt"; echo "--- exit $rc"; } \
    >"$tmp/$name.txt"
  if [ "${KAZMIG_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$tmp/$name.txt" "$GOLDEN/$name.txt"
  elif ! cmp -s "$tmp/$name.txt" "$GOLDEN/$name.txt"; then
    echo "FAIL: $name: kazmig $*" >&2
    diff -u "$GOLDEN/$name.txt" "$tmp/$name.txt" | head -20 >&2 || true
    failures=$((failures + 1))
  fi
}

stocks=(--stock1 f1_s1.csv --stock2 f1_s2.csv)
# The hand-worked pseudo-Bayes example (F1 with births and deaths; pseudo_bayes_test.cc).
pb=(--stock1 pb_s1.csv --stock2 pb_s2.csv --births pb_births.csv --deaths pb_deaths.csv --method pb)
for format in csv json table; do
  golden stocks_demo_$format estimate stocks "${stocks[@]}" --format $format
  golden stocks_diff_$format estimate stocks --stock1 f2_s1.csv --stock2 diff_s2.csv \
    --method diff --diff-type return --format $format
  golden stocks_pb_$format estimate stocks "${pb[@]}" --format $format
  golden ipf_$format estimate ipf --seed cm2_seed.csv --row-totals cm2_rows.csv \
    --col-totals cm2_cols.csv --format $format
  golden net_$format estimate net --prior net_prior.csv --net net.csv --format $format
  golden rescale_$format estimate rescale-net --net net_unbalanced.csv --format $format
  golden vital_$format estimate residual --pop0 golden/pop0.csv --pop1 golden/pop1.csv \
    --births golden/vital_births.csv --deaths golden/vital_deaths.csv --format $format
  golden survival_$format estimate residual --method survival --pop0 golden/age0.csv \
    --pop1 golden/age1.csv --survival golden/surv.csv --format $format
done
golden stocks_demo_provenance estimate stocks "${stocks[@]}" --with-provenance
golden stocks_demo_vital estimate stocks "${stocks[@]}" --births golden/births.csv \
  --deaths golden/deaths.csv --seed golden/seed.csv --match-birthplace open --tol 1e-9
golden stocks_demo_nostayer estimate stocks "${stocks[@]}" --stayer-assumption false \
  --match-birthplace open-dr --threads 1
golden stocks_diff_zero estimate stocks --stock1 f2_s1.csv --stock2 diff_s2.csv --method diff
golden stocks_dennett estimate stocks "${stocks[@]}" --method rates --total 300 --format json
golden stocks_rvr estimate stocks "${stocks[@]}" --method rates --rates-type rogers-von-rabenau
golden stocks_pb_weight estimate stocks "${stocks[@]}" --births golden/births.csv \
  --deaths golden/deaths.csv --method pb --pb-weight 0.3 --format json
golden stocks_pb_provenance estimate stocks "${pb[@]}" --with-provenance --tol 1e-12
golden ipf_rescaled estimate ipf --seed cm2_seed.csv --row-totals cm2_rows.csv \
  --col-totals cm2_cols_bad.csv --rescale-margins --tol 1e-12 --max-iterations 500
golden ipf_provenance estimate ipf --seed cm2_seed.csv --row-totals cm2_rows.csv \
  --col-totals cm2_cols.csv --with-provenance --format table
golden net_entropy estimate net --prior net_prior.csv --net net.csv --method entropy \
  --format json --tol 1e-8
golden net_rescaled estimate net --prior net_prior.csv --net net_unbalanced.csv --rescale-net
golden rescale_integer estimate rescale-net --net golden/net_frac.csv --integer
golden rescale_switches estimate rescale-net --net net_unbalanced.csv --method switches \
  --with-provenance
golden survival_forward estimate residual --method survival --pop0 golden/age0.csv \
  --pop1 golden/age1.csv --survival golden/surv.csv --survival-type forward --with-provenance
golden survival_reverse estimate residual --method survival --pop0 golden/age0.csv \
  --pop1 golden/age1.csv --survival golden/surv.csv --survival-type reverse --format json
golden vital_provenance estimate residual --pop0 golden/pop0.csv --pop1 golden/pop1.csv \
  --births golden/vital_births.csv --deaths golden/vital_deaths.csv --with-provenance

# Error paths: messages and exit codes.
golden err_stocks_neg_total estimate stocks "${stocks[@]}" --method rates --total -5
golden err_stocks_no_total estimate stocks "${stocks[@]}" --method rates
golden err_pb_k_removed estimate stocks "${pb[@]}" --pb-k 1 --pb-weight 0.5
golden err_pb_no_deaths estimate stocks "${stocks[@]}" --births golden/births.csv --method pb
golden err_pb_weight_range estimate stocks "${pb[@]}" --pb-weight 1.5
golden stocks_births_only estimate stocks "${stocks[@]}" --births golden/pop0.csv
golden err_ipf_margins estimate ipf --seed cm2_seed.csv --row-totals cm2_rows.csv \
  --col-totals cm2_cols_bad.csv
golden err_ipf_tol estimate ipf --seed cm2_seed.csv --row-totals cm2_rows.csv \
  --col-totals cm2_cols.csv --tol 0
golden err_ipf_iterations estimate ipf --seed cm2_seed.csv --row-totals cm2_rows.csv \
  --col-totals cm2_cols.csv --max-iterations 1
golden err_net_sum estimate net --prior net_prior.csv --net net_unbalanced.csv
golden err_net_tol estimate net --prior net_prior.csv --net net.csv --tol -1
golden err_rescale_sign estimate rescale-net --net golden/net_positive.csv
golden err_vital_usage estimate residual --pop0 golden/pop0.csv
golden err_survival_usage estimate residual --method survival --pop0 golden/age0.csv
golden err_survival_ratio estimate residual --method survival --pop0 golden/age0.csv \
  --pop1 golden/age1.csv --survival golden/surv_bad.csv
golden err_survival_region estimate residual --method survival --pop0 golden/age0.csv \
  --pop1 golden/age1_noB.csv --survival golden/surv.csv
golden err_survival_missing estimate residual --method survival --pop0 golden/age0.csv \
  --pop1 golden/age0.csv --survival cm2_rows.csv

# Help texts (the options and their defaults).
for sub in stocks ipf net rescale-net residual kz-od; do
  golden help_$sub estimate $sub --help
done
golden help_crosswalk crosswalk --help

# Crosswalk with weights from a file.
cw=(crosswalk --from kz-2018 --to kz-2022 --weights golden/cw_weights.csv)
for format in csv json table; do
  golden crosswalk_$format "${cw[@]}" --input golden/cw_in2018.csv --format $format
  golden crosswalk_years_$format crosswalk --from kz-2009 --to kz-2022 \
    --weights golden/cw_weights.csv --input golden/cw_years.csv --format $format
  golden crosswalk_rates_$format crosswalk --from kz-2022 --to kz-2018 --kind rate \
    --weights golden/cw_weights.csv --input golden/cw_rates.csv --format $format
done
golden crosswalk_years_provenance crosswalk --from kz-2009 --to kz-2022 \
  --weights golden/cw_weights.csv --input golden/cw_years.csv --with-provenance
golden crosswalk_table_provenance crosswalk --from kz-2009 --to kz-2018 \
  --weights golden/cw_weights.csv --input golden/cw_years.csv --with-provenance --format table
golden crosswalk_identity crosswalk --from kz-2022 --to kz-2022 --input golden/cw_rates.csv \
  --format json
golden err_crosswalk_weights crosswalk --from kz-2018 --to kz-2022 --input golden/cw_in2018.csv \
  --weights golden/cw_negw.csv
golden err_crosswalk_noweight crosswalk --from kz-2018 --to kz-2022 --input golden/cw_in2018.csv \
  --weights golden/cw_rates.csv
golden err_crosswalk_input crosswalk --from kz-2018 --to kz-2022 --input golden/cw_weights.csv \
  --weights golden/cw_weights.csv

# The built-in data: kz-od and the crosswalk's store weights.
[ -f "$KAZMIG_SOURCE_DIR/data/kz/provenance.csv" ] || fail "data/kz missing: the built-in data are part of the repository"
{
  for format in csv json table; do
    golden kz_od_$format estimate kz-od --format $format
    golden kz_od_sensitivity_$format estimate kz-od --year 2022 --sensitivity --format $format
    golden crosswalk_store_$format crosswalk --from kz-2018 --to kz-2022 \
      --input golden/cw_in2018.csv --format $format
  done
  golden kz_od_entropy estimate kz-od --method entropy --decay 2 --total 200000 --sensitivity \
    --decay-range 1 3 --total-range 100000 300000 --with-provenance
  golden kz_od_quiet --quiet estimate kz-od --year 2024 --format json
  golden err_kz_od_year estimate kz-od --year 1990
  golden crosswalk_store_2015 crosswalk --from kz-2018 --to kz-2022 --input golden/cw_in2018.csv \
    --weights-year 2015 --with-provenance
  golden crosswalk_store_provenance crosswalk --from kz-2022 --to kz-2009 --kind rate \
    --input golden/cw_rates.csv --with-provenance --format table
  golden err_crosswalk_store_year crosswalk --from kz-2018 --to kz-2022 \
    --input golden/cw_in2018.csv --weights-year 1995
}

[ "$failures" -eq 0 ] || fail "$failures golden outputs differ"
echo "estimate_golden_test: OK"
