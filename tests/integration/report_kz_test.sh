#!/usr/bin/env bash
# `kazmig report`: a self-contained HTML report with the map, tables and charts of section 1,
# written atomically to --out (default ./report); --pdf through headless Chromium or exit 1.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$KAZMIG" --quiet report --out "$tmp/out" >"$tmp/stdout.txt"
[ "$(cat "$tmp/stdout.txt")" = "$tmp/out/index.html" ] || fail "printed path: $(cat "$tmp/stdout.txt")"
html="$tmp/out/index.html"
[ -s "$html" ] || fail "no index.html"
[ "$(ls -A "$tmp/out")" = "index.html" ] || fail "stray files in --out: $(ls -A "$tmp/out")"
head -c 15 "$html" | grep -q "<!DOCTYPE html>" || fail "not an HTML document"
# Self-contained: no scripts, no external style sheets, images or links to fetch.
! grep -Eq '<script|<link |<img |src="http|href="http|url\(' "$html" || fail "report references external resources"
# The map of the 20 regions, labelled, with the projection stated.
grep -q "Albers equal-area conic" "$html" || fail "map projection note"
for region in Abai Akmola Aktobe Atyrau "West Kazakhstan" Zhambyl Jetisu Karagandy Kostanay \
  Kyzylorda Mangystau Pavlodar "North Kazakhstan" Turkistan Ulytau "East Kazakhstan" Astana \
  "Almaty (city)" "Almaty Region" Shymkent; do
  grep -q ">$region</tspan>" "$html" || fail "map label for $region"
done
grep -q "geokz" "$html" || fail "boundary attribution"
grep -q "<td>KZ-ULT</td>" "$html" || fail "region table"

[ -f "$KAZMIG_SOURCE_DIR/data/kz/provenance.csv" ] ||
  fail "data/kz missing: the built-in data are part of the repository"
{
  # Section 1 on the built-in data: the numbers as published, thousands separated.
  grep -q "Population and migration balance by region" "$html" || fail "section 1 title"
  grep -q "Net 2022</th>" "$html" && grep -q "Net 2023</th>" "$html" && grep -q "Net 2024</th>" "$html" \
    || fail "regional table years"
  grep -q "+50,078" "$html" || fail "Astana 2023 inter-regional net (+50,078)"
  grep -q ">25,387" "$html" || fail "2023 international arrivals (25,387)"
  grep -q ">16,094" "$html" || fail "2023 international departures (16,094)"
  grep -q '<sup class="mark">p</sup>' "$html" || fail "2025 marked preliminary"
  # Breaks are drawn only on the charts of the series they break: the 2024 registration change
  # on the internal-migration chart, none on the national international series.
  grep -q "Series break: 2024" "$html" || fail "internal-migration chart lacks its 2024 break"
  sed -n '/id="balance"/,/id="regions"/p' "$html" | grep -q "Series break:" &&
    fail "regional series breaks drawn on the international chart"
  # The 2022 revision of international migration and the official gross moves are stated.
  grep -q "17,425 arrivals, 24,147 departures; first released: 17,293 and 24,239" "$html" ||
    fail "2022 revision note"
  grep -q "1,510,337 internal moves" "$html" || fail "registered internal moves 2024"
  # Model-based counts of persons to 3 significant digits, as in --format table
  # (docs/output.md): the 2024 inter-regional movers (406,313 in the model) and the projection.
  grep -q '406,000<sup class="mark">e</sup>' "$html" || fail "estimated movers 2024 not rounded"
  ! grep -q "406,313" "$html" || fail "estimated movers shown to the person (406,313)"
  # The scenario shares name the groups in words; no promise of a module that exists.
  grep -Eq "Share of the country in 2035: baseline: north [0-9.]+%, south [0-9.]+%, cities" \
    "$html" || fail "scenario shares by group name"
  ! grep -q "comes with the risk module" "$html" || fail "stale sentence on the risk module"
  ! grep -Eq '>[0-9]{2},[0-9]{3},[0-9]*[1-9][0-9]*<sup class="mark">e</sup>' "$html" ||
    fail "an estimated population shown to the person"
  # No literal backticks in the text; docs cited exist in the repository.
  ! grep -q '`' "$html" || fail "literal backticks in the report"
  for doc in $(grep -o 'docs/[a-z_]*\.md' "$html" | sort -u); do
    [ -f "$KAZMIG_SOURCE_DIR/$doc" ] || fail "the report cites $doc, which does not exist"
  done
  grep -q "Almaty region includes Jetisu, and Karagandy includes Ulytau" "$html" ||
    fail "2018 map caption wording"
  grep -q 'id="source-1"' "$html" || fail "sources list"
  grep -q "BNS table 6576" "$html" || fail "population source cited"
  grep -q "badge official" "$html" || fail "official marking"
}

# Default folder: ./report in the working directory.
mkdir -p "$tmp/cwd"
(cd "$tmp/cwd" && "$KAZMIG" --quiet report >/dev/null)
[ -s "$tmp/cwd/report/index.html" ] || fail "default --out is ./report"

# --pdf without Chromium: exit 1 and a message saying what to install.
mkdir -p "$tmp/nobin"
set +e
PATH="$tmp/nobin" "$KAZMIG" --quiet report --out "$tmp/nopdf" --pdf >/dev/null 2>"$tmp/err.txt"; rc=$?
set -e
[ $rc -eq 1 ] || fail "--pdf without chromium: exit $rc, want 1"
grep -q "apt-get install chromium" "$tmp/err.txt" || fail "--pdf message: $(cat "$tmp/err.txt")"
[ -s "$tmp/nopdf/index.html" ] || fail "the HTML is still written when the PDF cannot be"
# (With Chromium: report_pdf_test.sh.)

# An output folder that cannot be created: exit 1.
set +e
"$KAZMIG" --quiet report --out /proc/kazmig-no-such/dir >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 1 ] || fail "unwritable --out: exit $rc, want 1"
echo "report: ok"
