#!/usr/bin/env bash
# The built-in dataset can always be reproduced: `kazmig data build-builtin` over ../shared/data
# writes exactly the committed data/kz (CSV files and SOURCES.md). Skips when ../shared is absent.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
shared="${KAZMIG_SHARED_DATA:-$KAZMIG_SOURCE_DIR/../shared/data}"
[ -d "$shared/bns_population_odk" ] ||
  skip "$shared not present; cannot rebuild the built-in dataset"

"$KAZMIG" --db "$tmp/k.db" data build-builtin --from "$shared" --out "$tmp/kz" 2>/dev/null
committed="$KAZMIG_SOURCE_DIR/data/kz"
n=0
for file in "$tmp"/kz/*; do
  name=$(basename "$file")
  [ -f "$committed/$name" ] || fail "$name is built but not committed"
  if [ "$name" = od_internal_estimated.csv ]; then
    # Model output rounded to 2 decimals: a last-digit flip on another machine's floating point is
    # the only difference tolerated (same rows, same text fields, numbers within 0.01).
    paste -d '\n' "$file" "$committed/$name" | awk -F, '
      NR % 2 == 1 { split($0, a, ","); n = NF; next }
      { if (NF != n) exit 1
        for (i = 1; i <= NF; i++) {
          if (i >= 4 && i <= 6 && FNR > 2) { d = a[i] - $i; if (d < 0) d = -d; if (d > 0.0100001) exit 1 }
          else if (a[i] != $i) exit 1 } }' &&
      [ "$(wc -l <"$file")" = "$(wc -l <"$committed/$name")" ] ||
      fail "$name differs from the committed data/kz beyond the rounding (rerun build-builtin)"
  else
    cmp -s "$file" "$committed/$name" || fail "$name differs from the committed data/kz (rerun build-builtin)"
  fi
  n=$((n + 1))
done
[ $n -ge 20 ] || fail "only $n files built"
for file in "$committed"/*.csv; do
  # country_names.csv comes from Debian's iso-codes through scripts/country_names.py.
  [ "$(basename "$file")" != country_names.csv ] || continue
  [ -f "$tmp/kz/$(basename "$file")" ] || fail "$(basename "$file") is committed but no longer built"
done
# A missing source is an input error naming it.
mkdir -p "$tmp/empty"
set +e
"$KAZMIG" --db "$tmp/k.db" data build-builtin --from "$tmp/empty" --out "$tmp/kz2" 2>"$tmp/err.txt"; rc=$?
set -e
[ $rc -eq 3 ] || fail "missing sources: exit $rc, want 3"
grep -q "kz_regions_crosswalk.csv: source file not found" "$tmp/err.txt" || fail "message: $(cat "$tmp/err.txt")"
echo "data_builtin_test: ok ($n files identical)"
