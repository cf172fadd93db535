#!/usr/bin/env bash
# `kazmig report`: the "Regularities" section on the built-in data — regions gaining and losing
# through migration over 2022–2024 (official net rates per 1,000), with the 2024 caveat; official
# ANMR and estimated CMP/MEI per year with their bands, corridors, concentration, and the
# plain-words paragraph, whose numbers are the table's.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ -f "$KAZMIG_SOURCE_DIR/data/kz/provenance.csv" ] ||
  skip "no built-in data in $KAZMIG_SOURCE_DIR/data/kz"
"$KAZMIG" --quiet --db "$tmp/kazmig.db" report --out "$tmp/out" >/dev/null
html="$tmp/out/index.html"
grep -q 'id="regularities"' "$html" || fail "no regularities anchor"
grep -q "Regions gaining and losing through migration, 2022–2024" "$html" || fail "gainers/losers table"
# Astana gains most relative to its population; the rate is signed and has one decimal.
grep -Eq "were Astana \(\+[0-9]+\.[0-9] per 1,000\)" "$html" || fail "Astana is not the top gainer"
grep -Eq "losing most were [A-Za-z ()]+ \(-[0-9]+\.[0-9] per 1,000\)" "$html" || fail "losers text"
grep -q "registration" "$html" || fail "2024 registration caveat"
grep -q "What the numbers say." "$html" || fail "plain-words paragraph"
grep -q "model-based estimates" "$html" || fail "the estimates are not said to be model-based"
grep -q "Largest inter-regional corridors, 2024" "$html" || fail "corridor table"
grep -q "Spatial focusing of inter-regional migration, 2022–2024" "$html" || fail "concentration"
# CMP and MEI rest on an assumed gross total: a range bar per year, no trend band or line.
[ "$(grep -o 'class="range-bars"' "$html" | wc -l)" -ge 2 ] || fail "CMP and MEI range bars"
python3 - "$html" <<'PY' || fail "regularities numbers"
import html as h, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
section = page[page.index('id="regularities"'):]
text = h.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", section, flags=re.S)))
text = re.sub(r"\s+", " ", text)
num = lambda s: float(s.replace(",", ""))
# Data table: Year, ANMR (official), CMP e, low, high, movers e, low, high.
rows = {}
for m in re.finditer(r"(20\d\d) ([\d.]+) ([\d.]+) e ([\d.]+) ([\d.]+) ([\d,]+) e ([\d,]+) ([\d,]+)", text):
    rows[int(m.group(1))] = [num(g) for g in m.groups()[1:]]
assert sorted(rows) == [2022, 2023, 2024], rows
for year, (anmr, cmp, lo, hi, movers, mlo, mhi) in rows.items():
    assert 0 < anmr < cmp, (year, anmr, cmp)          # ANMR = CMP * MEI / 100, MEI < 100
    assert lo <= cmp <= hi and lo < hi, (year, lo, cmp, hi)
    assert mlo <= movers <= mhi, (year, mlo, movers, mhi)
mei = {}
for m in re.finditer(r"(20\d\d) ([\d.]+) e ([\d.]+) ([\d.]+)(?= 20\d\d| Figure| The built-in)", text):
    mei[int(m.group(1))] = [num(g) for g in m.groups()[1:]]
assert sorted(mei) == [2022, 2023, 2024], mei
for year, (value, lo, hi) in mei.items():
    assert lo <= value <= hi, (year, lo, value, hi)
    # the identity, to the rounding of the shown numbers
    assert abs(rows[year][1] * value / 100 - rows[year][0]) < 0.02, (year, rows[year], value)
# The paragraph repeats the table's 2024 numbers.
anmr, cmp, lo, hi = rows[2024][:4]
# CMP and MEI are said as ranges (assumptions), not as central findings.
para = re.search(r"\(CMP, ([\d.]+)–([\d.]+) per 100 residents in 2024\)", text)
assert para and [num(g) for g in para.groups()] == [lo, hi], para
assert f"(ANMR) was {anmr:.2f} per 100 residents in 2024" in text
para = re.search(r"\(MEI, ([\d.]+)–([\d.]+)\)", text)
assert para and [num(g) for g in para.groups()] == mei[2024][1:], (para, mei[2024])
assert "In 2024, about" not in text
PY
# The "Flows" section: the estimated inter-regional corridors of the latest year (flow map, each
# region's top origins and destinations with bands), said to be model-based; the international
# corridors, official by partner and Abel & Cohen's estimates, each with its provenance.
grep -q 'id="flows"' "$html" || fail "no flows anchor"
python3 - "$html" <<'PY' || fail "flows section"
import html as h, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
section = page[page.index('id="flows"'):]
section = section[:section.index("</section>")] if "</section>" in section else section
# (the map holds a nested <svg> per inset: up to the </svg> before the figure's caption)
flow_map = re.search(r'<svg[^>]*class="flow-map".*?</svg>(?=<figcaption)', section, flags=re.S)
assert flow_map, "no flow map"
# Enlarged insets of Astana, Almaty and Shymkent with the regions around them, named in the caption.
insets = re.findall(r'<g class="inset" data-regions="([^"]+)"', flow_map.group(0))
assert insets == ["Astana;Akmola", "Almaty (city);Almaty Region", "Shymkent;Turkistan"], insets
assert "Insets 1\u20133 show the areas outlined" in section, "no inset caption"
arrows = re.findall(r'class="flow-arrow" data-from="([^"]+)" data-to="([^"]+)" data-flow="(\d+)"',
                    flow_map.group(0))
assert len(arrows) == 15, len(arrows)
flows = [int(a[2]) for a in arrows]
assert flows == sorted(flows, reverse=True), flows
assert 'class="legend"' in flow_map.group(0)
text = h.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", section, flags=re.S)))
text = re.sub(r"\s+", " ", text)
assert "model-based" in text and "Only the nets are official" in text
assert "Largest corridors into and out of each region, 2024" in text
# Each region's top origins: "Name 1,234 e (1,000–2,000)", three per cell, sorted, bands hold.
num = lambda s: float(s.replace(",", ""))
cells = re.findall(r"((?:[A-Z][A-Za-z ()]+? [\d,]+ e \([\d,]+–[\d,]+\) ?){3})", text)
assert len(cells) >= 40, len(cells)  # 20 regions x (origins, destinations)
for cell in cells:
    items = re.findall(r"([\d,]+) e \(([\d,]+)–([\d,]+)\)", cell)
    values = [num(v) for v, _, _ in items]
    assert values == sorted(values, reverse=True), cell
    for v, lo, hi in items:
        assert num(lo) <= num(v) <= num(hi), cell
assert "International migration by partner country, 2025 (official)" in text
assert "Russia" in text and "Uzbekistan" in text
assert "Abel & Cohen, 5-year periods" in text
for partner in ("Germany", "China", "Ukraine"):
    assert partner in text, partner
sources = page[page.index('id="sources"'):] if 'id="sources"' in page else page
assert "estimated: model-based inter-regional OD matrix" in sources
assert "estimated: Abel & Cohen (2019)" in h.unescape(sources)
assert "official: CIS-Stat and BNS international migration statistics" in sources
PY
echo "report_sections: OK"
