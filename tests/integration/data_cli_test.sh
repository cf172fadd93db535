#!/usr/bin/env bash
# `kazmig data`: init (idempotent), list, show (with provenance), import (one transaction; a bad
# file exits 3 with FILE:LINE:COLUMN and leaves the database byte-identical), check.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
db="$tmp/kazmig.db"
k() { "$KAZMIG" --db "$db" "$@"; }
hash_db() { sha256sum "$db" | cut -d' ' -f1; }
# Runs a command that must exit 3, leave the database unchanged and print `needle` on stderr.
expect_input_error() {
  local needle=$1; shift
  local before; before=$(hash_db)
  expect_exit -F 3 "$needle" k "$@"
  [ "$(hash_db)" = "$before" ] || fail "$*: the database changed after a failed import"
}

# init loads the built-in dataset; a second init writes nothing.
k data init 2>"$tmp/init.txt"
grep -q "built-in dataset 'kz' ready" "$tmp/init.txt" || fail "init message: $(cat "$tmp/init.txt")"
h1=$(hash_db)
k data init 2>/dev/null
[ "$(hash_db)" = "$h1" ] || fail "second init changed the database"
k data init --force 2>/dev/null
k data show intl_net --year 2023 | grep -qx 'intl_net,kz-2022,KZ,2023,9293' || fail "init --force reload"

# list names the contract indicators.
k data list >"$tmp/list.csv"
head -1 "$tmp/list.csv" | grep -q '^indicator,kind,unit,vintage,first_year,last_year,values,regions,provenance,notes$' \
  || fail "list header: $(head -1 "$tmp/list.csv")"
for name in population_jan1 population_avg births deaths net_internal arrivals_internal \
            departures_internal net_all intl_arrivals intl_departures intl_net grp_nominal \
            grp_per_capita income_per_capita unemployment_rate housing_commissioned un_stock abel_flows; do
  grep -q "^$name," "$tmp/list.csv" || fail "list lacks $name"
done

# show: the report's figures, with provenance.
k data show intl_arrivals --year 2023 >"$tmp/arr.csv"
grep -qx 'intl_arrivals,kz-2022,KZ,2023,25387' "$tmp/arr.csv" || fail "arrivals 2023: $(cat "$tmp/arr.csv")"
k data show net_internal --region "г. Алматы" --year 2022 --with-provenance >"$tmp/net.csv"
head -1 "$tmp/net.csv" | grep -q ',provenance$' || fail "--with-provenance header"
grep -q '^net_internal,kz-2022,75,2022,35302,"official: ' "$tmp/net.csv" || fail "Almaty net 2022: $(cat "$tmp/net.csv")"
k data show population --region 75 --format json >"$tmp/pop.json"
grep -q '"name": "population_jan1"' "$tmp/pop.json" || fail "population alias lacks population_jan1"
grep -q '"name": "population_avg"' "$tmp/pop.json" || fail "population alias lacks population_avg"
grep -q '"provenance": {' "$tmp/pop.json" || fail "JSON lacks per-value provenance"
grep -q '"kind": "official"' "$tmp/pop.json" || fail "JSON lacks provenance kind"
k data show grp_per_capita --region 19 --year 2000 --with-provenance >"$tmp/grp.csv"
grep -q ',80.1,estimated: thousands-separator correction' "$tmp/grp.csv" || fail "GRP correction: $(cat "$tmp/grp.csv")"
k data show population_avg --year 2025 --format table >"$tmp/table.txt"
grep -q "Almaty (city)" "$tmp/table.txt" || fail "table shows region names"
k data show intl_arrivals_by_partner --region RUS --year 2023 >"$tmp/rus.csv"
grep -qx 'intl_arrivals_by_partner,iso3,RUS,KAZ,2023,,11711' "$tmp/rus.csv" || fail "arrivals from Russia 2023: $(cat "$tmp/rus.csv")"
k data show un_stock --region KAZ --year 2020 | grep -q '^un_stock,iso3,KAZ,RUS,2020,' || fail "un_stock by ISO3 KAZ"
# The full world tables: every pair, with the source's values and provenance.
grep -q '^world_un_stock,stocks,persons,iso3,1990,2020,75600,' "$tmp/list.csv" || fail "list lacks world_un_stock"
grep -q '^world_abel_flows,flows,persons,iso3,1990,2015,126970,' "$tmp/list.csv" || fail "list lacks world_abel_flows"
k data show world_un_stock --region MEX --year 2020 >"$tmp/wstock.csv"
grep -qx 'world_un_stock,iso3,MEX,USA,2020,10853105' "$tmp/wstock.csv" || fail "world stock Mexico -> USA 2020"
k data show world_abel_flows --region SYR --year 2015 --with-provenance >"$tmp/wflows.csv"
grep -q '^world_abel_flows,iso3,SYR,DEU,2015,2015-2020,56235,"estimated: Abel & Cohen (2019) pseudo-Bayesian' \
  "$tmp/wflows.csv" || fail "world Abel flow Syria -> Germany 2015-2020"
set +e
k data show no_such_indicator >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "unknown indicator: exit $rc, want 2"
k data show net_internal --region Almaty >/dev/null 2>"$tmp/amb.txt"; rc=$?
[ $rc -eq 2 ] || fail "ambiguous region: exit $rc, want 2"
grep -q "ambiguous region 'Almaty'" "$tmp/amb.txt" || fail "ambiguous message: $(cat "$tmp/amb.txt")"
set -e

# check: exit 0 with a summary.
k data check >"$tmp/check.txt" 2>/dev/null || fail "data check failed on the built-in data"
grep -q "All assertions hold." "$tmp/check.txt" || fail "check summary"
grep -q "population_accounting" "$tmp/check.txt" || fail "check lists accounting"
grep -q "missing: population_jan1 2024" "$tmp/check.txt" || fail "check names missing inputs"
k data check --format json >"$tmp/check.json" 2>/dev/null
grep -q '"passed": true' "$tmp/check.json" || fail "check JSON"

# import: a good tidy file lands in one transaction and shows up.
cat >"$tmp/pop2026.csv" <<'CSV'
region,year,value
г. Алматы,2026,2350000
Нур-Султан,2026,1600000
KZ,2026,20500000
CSV
k data import --format tidy-series "$tmp/pop2026.csv" --indicator population_avg --source "BNS table 6576" --detail "test release" 2>/dev/null
k data show population_avg --year 2026 --with-provenance >"$tmp/p2026.csv"
grep -q '^population_avg,kz-2022,75,2026,2350000,official: BNS table 6576 (test release)$' "$tmp/p2026.csv" \
  || fail "imported value: $(cat "$tmp/p2026.csv")"
grep -q '^population_avg,kz-2022,71,2026,1600000,' "$tmp/p2026.csv" || fail "historical name Nur-Sultan"
# The import survives the next automatic load (the built-in dataset is not reloaded).
k data list >/dev/null
k data show population_avg --year 2026 | grep -q ',75,2026,' || fail "import lost on reopen"

# An agency export: ';' separator, decimal comma, Windows-1251, into a dataset of its own.
if command -v iconv >/dev/null 2>&1; then
  printf 'region;year;value\nг. Шымкент;2026;5,5\nСеверо-Казахстанская;2026;4,25\n' \
    | iconv -f UTF-8 -t WINDOWS-1251 >"$tmp/cp1251.csv"
  k data import --format tidy-series "$tmp/cp1251.csv" --indicator unemployment_rate \
    --source "BNS element 102790" --dataset mine 2>/dev/null
  k data show unemployment_rate --dataset mine >"$tmp/mine.csv"
  grep -qx 'unemployment_rate,kz-2022,79,2026,5.5' "$tmp/mine.csv" || fail "cp1251 import: $(cat "$tmp/mine.csv")"
  grep -qx 'unemployment_rate,kz-2022,59,2026,4.25' "$tmp/mine.csv" || fail "cp1251 import: $(cat "$tmp/mine.csv")"
  k data list --dataset mine | grep -q '^unemployment_rate,series,%,kz-2022,2026,2026,2,2,official,' \
    || fail "list of the new dataset: $(k data list --dataset mine)"
fi

# Bad inputs: exit 3, FILE:LINE:COLUMN, database byte-identical.
printf 'region,year,value\n75,2027,1\nAtlantis,2027,2\n' >"$tmp/unknown.csv"
expect_input_error "unknown.csv:3:1:" data import --format tidy-series "$tmp/unknown.csv" --indicator population_avg --source x
printf 'region,year,value\n75,2027,1\nг. Алматы,2027,2\n' >"$tmp/dup.csv"
expect_input_error "dup.csv:3:1:" data import --format tidy-series "$tmp/dup.csv" --indicator population_avg --source x
printf 'region,year,value\n75,2027,-10\n' >"$tmp/neg.csv"
expect_input_error "neg.csv:2:3:" data import --format tidy-series "$tmp/neg.csv" --indicator population_jan1 --source x
printf 'region,year,value\n75,2027,abc\n' >"$tmp/nan.csv"
expect_input_error "nan.csv:2:3:" data import --format tidy-series "$tmp/nan.csv" --indicator population_avg --source x
printf 'region,value\n75,1\n' >"$tmp/nocol.csv"
expect_input_error "year" data import --format tidy-series "$tmp/nocol.csv" --indicator population_avg --source x
printf 'region,year,value\n75,2027,1\n' >"$tmp/ok.csv"
expect_input_error "not a readable XLSX workbook" data import --format bns-6584 "$tmp/ok.csv"
printf '{"indicator": "births", "values": {"2023": {"750000000": -3}}}' >"$tmp/births.json"
expect_input_error "births.json: /values/2023/750000000: negative value" data import --format kato-json "$tmp/births.json"
printf 'region,month,arrivals,departures,net\nAbay,Total,10,4,5\n' >"$tmp/internal_migration_2025.csv"
expect_input_error "internal_migration_2025.csv:2:5:" data import --format internal-migration "$tmp/internal_migration_2025.csv"

# A workbook with an unexpected layout (needs python3 to write the zip; skipped without it).
if command -v python3 >/dev/null 2>&1; then
  python3 - "$tmp/bad.xlsx" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="Все население" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Регион</t></is></c><c r="B1" t="inlineStr"><is><t>Год</t></is></c></row></sheetData></worksheet>')
PY
  expect_input_error "bad.xlsx[Все население]:1:2: cell B1: unexpected layout" data import --format bns-6584 "$tmp/bad.xlsx"
  python3 - "$tmp/neg.xlsx" <<'PY'
import sys, zipfile
rows = '<row r="1"><c r="B1"><v>2023</v></c><c r="C1"><v>2024</v></c></row>'
rows += '<row r="2"><c r="A2" t="inlineStr"><is><t>Республика Казахстан</t></is></c><c r="B2"><v>100</v></c><c r="C2"><v>100</v></c></row>'
rows += '<row r="3"><c r="A3" t="inlineStr"><is><t>Акмолинская</t></is></c><c r="B3"><v>-7</v></c><c r="C3"><v>5</v></c></row>'
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="Все население" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", '<worksheet><sheetData>' + rows + '</sheetData></worksheet>')
PY
  expect_input_error "neg.xlsx[Все население]:3:2: cell B3: negative population -7" data import --format bns-6584 "$tmp/neg.xlsx"
fi
echo "data_cli_test: ok"
