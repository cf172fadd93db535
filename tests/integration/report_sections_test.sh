#!/usr/bin/env bash
# `kazmig report`: the "Regularities" section on the built-in data — regions gaining and losing
# through migration over 2022–2024 (official net rates per 1,000), with the 2024 caveat.
set -euo pipefail
: "${KAZMIG:?KAZMIG must point to the kazmig binary}"
: "${KAZMIG_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KAZMIG_DB="$tmp/kazmig.db"
fail() { echo "FAIL: $*" >&2; exit 1; }

if [ ! -f "$KAZMIG_SOURCE_DIR/data/kz/provenance.csv" ]; then
  echo "SKIP: no built-in data in $KAZMIG_SOURCE_DIR/data/kz"
  exit 0
fi
"$KAZMIG" --quiet --db "$tmp/kazmig.db" report --out "$tmp/out" >/dev/null
html="$tmp/out/index.html"
grep -q 'id="regularities"' "$html" || fail "no regularities anchor"
grep -q "Regions gaining and losing through migration, 2022–2024" "$html" || fail "gainers/losers table"
# Astana gains most relative to its population; the rate is signed and has one decimal.
grep -Eq "were Astana \(\+[0-9]+\.[0-9] per 1,000\)" "$html" || fail "Astana is not the top gainer"
grep -Eq "losing most were [A-Za-z ()]+ \(-[0-9]+\.[0-9] per 1,000\)" "$html" || fail "losers text"
grep -q "registration" "$html" || fail "2024 registration caveat"
echo "report_sections: OK"
