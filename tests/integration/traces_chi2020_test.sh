#!/usr/bin/env bash
# kazmig traces detect on the reference cases of Chi et al. (2020) in ../shared/data/traces_chi2020
# (skipped when absent): the migrants' single move and the non-migrants' empty output.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
header="user_id,home,destination,migration_date,uncertainty,num_error_day,home_start_date,home_end_date,destination_start_date,destination_end_date"
data="${KAZMIG_SHARED_DATA:-$KAZMIG_SOURCE_DIR/../shared/data}/traces_chi2020"
[ -d "$data" ] || skip "$data absent (reference cases not run)"
expected_migrant="1,1,2,20180929,0,0,20180701,20180928,20180929,20181227"
for f in migrant_location_history_example1 migrant_location_history_example2; do
  [ "$("$KAZMIG" traces detect --input "$data/$f.csv")" = "$(printf '%s\n%s' "$header" "$expected_migrant")" ]
done
for f in nonmigrant_location_history_example1 nonmigrant_location_history_example2 fig_2_data; do
  [ "$("$KAZMIG" traces detect --input "$data/$f.csv")" = "$header" ]
done
[ "$("$KAZMIG" traces detect --input "$data/fig_4a_data.csv" --threads 2)" = \
  "$(printf '%s\n%s' "$header" "1,11,25,20080727,0,0,20080321,20080726,20080727,20090228")" ]
echo "traces detect, Chi et al. 2020 cases: OK"
