#!/usr/bin/env bash
# Golden test of `kazmig regions` and `kazmig geo simplify`: their output bytes and exit codes,
# captured from the binary before these commands moved to app/regions.h (SHA-256 of stdout, so
# the fixtures stay small). Any change of output must be deliberate: update the hashes with it.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# check NAME SHA256 CMD...: CMD exits 0 and its stdout hashes to SHA256.
check() {
  local name=$1 want=$2 got
  shift 2
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || fail "$name: exit $? ($(cat "$tmp/$name.err"))"
  got=$(sha256sum <"$tmp/$name.out" | cut -c1-64)
  [ "$got" = "$want" ] || fail "$name: output changed (sha256 $got); first lines: $(head -3 "$tmp/$name.out")"
}

check regions_csv 30f1aa858a0742f7d7a7912a04700f388a967ebcf07f2a77de5de8060d2a72da \
  "$KAZMIG" regions
check regions_json_2018 661c28f6c321835daddd8862f1a87522812f8fd45c21389ffc2fd5df5c7dae88 \
  "$KAZMIG" regions kz-2018 --format json
check regions_table 1b0746025c991484775d6e0e07b7bd768e2516a70b13d6dd9c72c6bf7463061c \
  "$KAZMIG" regions --format table
# The committed 2018 boundaries simplified again with the defaults.
check geo_simplify 02e8fa8db2fe32bfc935e1852b45ceee02433d3b567858d3a579531da1922d8e \
  "$KAZMIG" --quiet geo simplify --input "$KAZMIG_SOURCE_DIR/data/kz/regions-2018.geojson" \
  --vintage kz-2018
# Errors keep their exit codes and messages.
expect_exit 3 "ambiguous region 'Алматы' in kz-2022" "$KAZMIG" regions --region "Алматы"
expect_exit 2 "" "$KAZMIG" regions kz-1999
expect_exit 2 "" "$KAZMIG" geo simplify --input x.geojson --vintage kz-2009
echo "regions_geo_golden_test: ok"
