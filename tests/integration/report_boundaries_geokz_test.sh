#!/usr/bin/env bash
# The report's boundaries: `kazmig geo simplify` reproduces data/kz/regions-*.geojson byte for byte
# from geokz in ../shared/data (skipped when absent), and a coarser tolerance gives a smaller file.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
data="$KAZMIG_SOURCE_DIR/data/kz"
shared="${KAZMIG_SHARED_DATA:-$KAZMIG_SOURCE_DIR/../shared/data}/geokz"
[ -d "$shared" ] || skip "$shared absent; regeneration not checked"
"$KAZMIG" --quiet geo simplify --vintage kz-2022 --input "$shared/kaz_admbnda_adm1_2024.geojson" \
  --output "$tmp/regions-2022.geojson"
cmp "$tmp/regions-2022.geojson" "$data/regions-2022.geojson" || fail "regions-2022.geojson differs"
"$KAZMIG" --quiet geo simplify --vintage kz-2018 --input "$shared/kaz_admbnda_adm1_2018.geojson" \
  >"$tmp/regions-2018.geojson"
cmp "$tmp/regions-2018.geojson" "$data/regions-2018.geojson" || fail "regions-2018.geojson differs"
# A coarser tolerance gives a smaller file.
"$KAZMIG" --quiet geo simplify --vintage kz-2022 --input "$shared/kaz_admbnda_adm1_2024.geojson" \
  --tolerance-km 5 >"$tmp/coarse.geojson"
[ "$(wc -c <"$tmp/coarse.geojson")" -lt "$(wc -c <"$data/regions-2022.geojson")" ] || fail "tolerance"
echo "boundaries from geokz: ok"
