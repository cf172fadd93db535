#!/usr/bin/env bash
# `kazmig report` (issue 19): the HTML is well-formed (every element closed in order, parsed with
# Python's html.parser); the sections run in the policy analysis's order — 1 key findings,
# 2 regularities, 3 flows, 4 factors, 5 potential, 6 risks, 7 prospects and policy options,
# 8 policy measures, 9 data and methods — numbered 1..9 with sub-sections N.M, and the contents
# list says the same; figures and tables are numbered 1, 2, ... in reading order; every figure has
# a source line and a data table (inside it, or linked to a table of the report); the chord
# diagram of the largest international corridors is in the flows section and its ribbons are the
# numbers of its table. The checks are shown to fail on broken copies.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -f "$KAZMIG_SOURCE_DIR/data/kz/provenance.csv" ] ||
  skip "no built-in data in $KAZMIG_SOURCE_DIR/data/kz"
"$KAZMIG" --quiet report --out "$tmp/out" >/dev/null

cat >"$tmp/check.py" <<'PY'
import html, os, re, sys
from html.parser import HTMLParser

def round3(v):
    """A whole number to 3 significant digits, half away from zero (app::RoundSignificant)."""
    k = len(str(abs(v))) - 3
    if k <= 0:
        return v
    q = 10 ** k
    return (abs(v) + q // 2) // q * q * (1 if v >= 0 else -1)

FIGURE = os.environ.get("FIGURE_WORD", "Figure")
KAZAKHSTAN = os.environ.get("KAZAKHSTAN", "Kazakhstan")

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
ORDER = ["Key findings in plain words", "Regularities", "Flows", "Factors", "Potential", "Risks",
         "Prospects and policy options", "Policy measures and their measured effects",
         "Data and methods"]


class Balance(HTMLParser):
    """Every start tag closed by its own end tag, in order (void elements excepted)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            opened = self.stack[-1] if self.stack else ("nothing", (0, 0))
            self.errors.append(f"line {self.getpos()[0]}: </{tag}> closes <{opened[0]}> "
                               f"of line {opened[1][0]}")
            # resynchronise: pop up to the matching tag when there is one
            tags = [t for t, _ in self.stack]
            if tag in tags:
                while self.stack and self.stack.pop()[0] != tag:
                    pass
        else:
            self.stack.pop()


def text(fragment):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def check(doc):
    problems = []
    parser = Balance()
    parser.feed(doc)
    parser.close()
    problems += parser.errors[:10]
    if parser.stack:
        problems.append("unclosed: " + ", ".join(f"<{t}> (line {p[0]})" for t, p in parser.stack[:5]))
    if not doc.startswith("<!DOCTYPE html>"):
        problems.append("no doctype")

    # Sections: numbered h2 in order, sub-sections N.M under the section N.
    heads = re.findall(r'<h2><span class="num">(\d+)</span>(.*?)</h2>|'
                       r'<h3 class="sub"><span class="num">(\d+)\.(\d+)</span>(.*?)</h3>', doc)
    numbers, titles, current, sub = [], [], 0, 0
    for number, title, parent, child, sub_title in heads:
        if number:
            numbers.append(int(number))
            titles.append(text(title))
            current, sub = int(number), 0
        else:
            sub += 1
            if (int(parent), int(child)) != (current, sub):
                problems.append(f"sub-section {parent}.{child} ({text(sub_title)}) under {current}")
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"section numbers {numbers}")
    if len(titles) != len(ORDER) or any(not t.startswith(want) for t, want in zip(titles, ORDER)):
        problems.append(f"sections {titles}, want {ORDER}")
    nav = re.search(r"<nav[^>]*>(.*?)</nav>", doc, re.S)
    if not nav:
        problems.append("no contents list")
    else:
        entries = re.findall(r'<li><span class="num">([\d.]*)</span><a href="#([^"]+)">(.*?)</a>',
                             nav.group(1))
        listed = [(n, text(t)) for n, _, t in entries if n and "." not in n]
        if listed != [(str(n), t) for n, t in zip(numbers, titles)]:
            problems.append(f"contents {listed} differ from the sections")
        for _, anchor, _ in entries:
            if f'id="{anchor}"' not in doc:
                problems.append(f"contents link #{anchor} goes nowhere")

    # Figures and tables: numbered in reading order, captions agree with the ids.
    for kind, word in (("figure", "Figure"), ("table", "Table")):
        ids = [int(n) for n in re.findall(rf'<figure id="{kind}-(\d+)"', doc)]
        if ids != list(range(1, len(ids) + 1)):
            problems.append(f"{kind}s numbered {ids[:12]}...")
    for number, body in re.findall(r'<figure id="figure-(\d+)"[^>]*>(.*?)</figure>', doc, re.S):
        if f"<b>{FIGURE} {number}.</b>" not in body:
            problems.append(f"figure {number}: caption number differs")
    tables = set(re.findall(r'<figure id="(table-\d+)"', doc))
    figures = re.findall(r'<figure id="(figure-\d+)"([^>]*)>(.*?)</figure>', doc, re.S)
    if len(figures) < 20:
        problems.append(f"only {len(figures)} figures")
    for fid, attrs, body in figures:
        source = re.search(r'<p class="source">([^<]*):\s*<span class="src">\[<a href="#source-\d+"',
                           body)
        if not source:
            problems.append(f"{fid}: no source line with a source")
        linked = re.search(r'data-table="(table-\d+)"', attrs)
        if "<table" not in body and not (linked and linked.group(1) in tables):
            problems.append(f"{fid}: no data table")
    for target in re.findall(r'<a class="data-ref" href="#(table-\d+)"', doc):
        if target not in tables:
            problems.append(f"data link to {target}, which is not in the report")

    # The chord diagram: in the flows section; each ribbon's flow is in its table.
    flows = doc[doc.index('id="flows"'):doc.index('id="factors"')] if 'id="factors"' in doc else ""
    chords = re.findall(r'<svg[^>]*class="chord".*?</svg>', flows, re.S)
    if len(chords) != 2:
        problems.append(f"{len(chords)} chord diagrams in the flows section, want 2")
    else:
        figure = re.search(r'<figure id="figure-\d+"[^>]*>(?:(?!</figure>).)*class="chord"(.*?)</figure>',
                           flows, re.S)
        rows = re.findall(r"<tr><td>(\d{4}-\d{4})</td><td[^>]*>\d*</td><td>([^<]+)</td>"
                          r'<td class="num">([\d,]+)<sup class="mark">e</sup></td>'
                          r'<td class="num">([\d,]+)<sup', figure.group(1) if figure else "")
        periods = sorted({r[0] for r in rows})
        table = {(p, html.unescape(name)): (int(a.replace(",", "")), int(d.replace(",", "")))
                 for p, name, a, d in rows}
        for period, svg in zip(periods, chords):
            ribbons = re.findall(r'class="ribbon" data-from="([^"]+)" data-to="([^"]+)" '
                                 r'data-flow="(\d+)"', svg)
            if len(ribbons) < 10:
                problems.append(f"chord {period}: {len(ribbons)} ribbons")
            for orig, dest, flow in ribbons:
                orig, dest = html.unescape(orig), html.unescape(dest)
                partner, to_kz = (orig, True) if dest == KAZAKHSTAN else (dest, False)
                value = table.get((period, partner))
                # The table shows estimated persons to 3 significant digits (docs/output.md).
                if value is None or value[0 if to_kz else 1] != round3(int(flow)):
                    problems.append(f"chord {period}: ribbon {orig} -> {dest} {flow} is not in "
                                    f"its table ({value})")
    return problems


doc = open(sys.argv[1], encoding="utf-8").read()
problems = check(doc)
if sys.argv[2:] == ["--expect-fail"]:
    sys.exit(0 if problems else 1)
if problems:
    print("\n".join(problems[:30]))
    sys.exit(1)
PY
python3 "$tmp/check.py" "$tmp/out/index.html" || fail "the report's outline"

# The checks can fail: an unclosed element, sections out of order, a figure without its data.
python3 - "$tmp/out/index.html" "$tmp" <<'PY'
import re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
out = sys.argv[2]
open(f"{out}/unclosed.html", "w", encoding="utf-8").write(doc.replace("</figcaption>", "", 1))
swapped = doc.replace("<span class=\"num\">3</span>Flows", "<span class=\"num\">3</span>Risks", 1)
open(f"{out}/order.html", "w", encoding="utf-8").write(swapped)
open(f"{out}/nodata.html", "w", encoding="utf-8").write(
    re.sub(r' data-table="table-\d+"', "", doc, count=1))
ribbon = re.search(r'class="ribbon" data-from="[^"]+" data-to="[^"]+" data-flow="(\d+)"', doc)
open(f"{out}/chord.html", "w", encoding="utf-8").write(
    doc[:ribbon.start(1)] + str(int(ribbon.group(1)) * 2 + 1) + doc[ribbon.end(1):])
PY
for broken in unclosed order nodata chord; do
  python3 "$tmp/check.py" "$tmp/$broken.html" --expect-fail ||
    fail "the outline check misses the broken copy '$broken'"
done

# The Russian report has the same outline (numbers, nesting, figures and data tables).
"$KAZMIG" --quiet report --out "$tmp/ru" --lang ru >/dev/null
sed -i 's/^ORDER = .*/ORDER = ["Основные выводы", "Закономерности", "Потоки", "Факторы", "Потенциал", "Риски", "Перспективы", "Меры политики", "Данные и методы"]/; /^         "Prospects and policy options"/d; /^         "Data and methods"\]/d' "$tmp/check.py"
FIGURE_WORD="Рисунок" KAZAKHSTAN="Казахстан" python3 "$tmp/check.py" "$tmp/ru/index.html" || fail "the Russian report's outline"
echo "report outline: ok"
