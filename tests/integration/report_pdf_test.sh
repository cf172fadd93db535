#!/usr/bin/env bash
# `kazmig report --pdf` with headless Chromium: the PDF beside index.html, its path printed; and
# how it prints (issue 18): a bounded number of A4 pages, no page whose text is only a figure or
# table caption (or only a source line), no page that ends with a heading (pdftotext per page).
# Skipped when chromium is not installed (report_kz_test.sh checks --pdf without it); the page
# checks are skipped without pdftotext/pdfinfo (poppler-utils).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v chromium >/dev/null 2>&1 || skip "chromium not installed; PDF output not checked"
"$KAZMIG" --quiet report --out "$tmp/pdf" --pdf >"$tmp/stdout.txt"
grep -qx "$tmp/pdf/report.pdf" "$tmp/stdout.txt" || fail "pdf path not printed"
head -c 5 "$tmp/pdf/report.pdf" | grep -q "%PDF-" || fail "report.pdf is not a PDF"
echo "report --pdf: ok"

command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 ||
  skip "pdftotext/pdfinfo (poppler-utils) not installed; the PDF's pages are not checked"
pages=$(pdfinfo "$tmp/pdf/report.pdf" | awk '/^Pages:/ {print $2}')
pdfinfo "$tmp/pdf/report.pdf" | grep -q "(A4)" ||
  fail "not A4: $(pdfinfo "$tmp/pdf/report.pdf" | grep 'Page size')"
# The whole report (9 sections, ~30 figures, ~20 tables) fits in 58 pages: 55 in December 2026
# with the outline of issue 19 (chord diagrams, data and methods, a data table beside every
# policy chart); 62 before the print CSS kept narrow data tables beside their charts.
echo "report --pdf: $pages pages"
[ "$pages" -ge 10 ] && [ "$pages" -le 58 ] || fail "$pages pages, want 10-58"
# Every section and sub-section title is in the PDF's text.
pdftotext "$tmp/pdf/report.pdf" "$tmp/all.txt"
python3 - "$tmp/all.txt" "$tmp/pdf/index.html" <<'PY2' || fail "section titles missing from the PDF"
import html, re, sys
pdf = re.sub(r"\s+", " ", open(sys.argv[1], encoding="utf-8").read())
doc = open(sys.argv[2], encoding="utf-8").read()
doc = re.sub(r'<span class="num">[^<]*</span>', "", doc)
titles = [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", t))).strip()
          for t in re.findall(r'<h2>(.*?)</h2>|<h3 class="sub">(.*?)</h3>', doc)
          for t in t if t]
assert len(titles) >= 12, titles
missing = [t for t in titles if t not in pdf]
if missing:
    print("not in the PDF:", missing)
    sys.exit(1)
PY2
for page in $(seq 1 "$pages"); do
  pdftotext -layout -f "$page" -l "$page" "$tmp/pdf/report.pdf" "$tmp/page-$page.txt"
done
python3 - "$tmp" "$pages" "$tmp/pdf/index.html" <<'PY'
import html, re, sys
tmp, pages, index = sys.argv[1], int(sys.argv[2]), sys.argv[3]
doc = open(index, encoding="utf-8").read()
headings = {re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", h))).strip()
            for h in re.findall(r"<h[234][^>]*>(.*?)</h[234]>", doc, re.S)}
headings = {h for h in headings if h}
caption = re.compile(r"^(Figure|Table) \d+\.")
problems = []
for page in range(1, pages + 1):
    lines = [l.strip() for l in open(f"{tmp}/page-{page}.txt", encoding="utf-8")]
    lines = [re.sub(r"\s+", " ", l) for l in lines if l]
    if not lines:
        problems.append(f"page {page} is empty")
        continue
    text = " ".join(lines)
    # Only a caption: the page starts with "Figure N." / "Table N." and holds nothing else
    # (a caption's text, its badges and its sources line: fewer than 6 lines, no numbers table).
    if caption.match(lines[0]) and len(lines) <= 6 and not any(
            re.search(r"\d[\d,]* +\d[\d,]*", l) for l in lines[1:] if not l.startswith("Sources")):
        problems.append(f"page {page} holds only a caption: {text[:100]}")
    if all(l.startswith("Sources:") or caption.match(l) for l in lines):
        problems.append(f"page {page} holds only captions or sources: {text[:100]}")
    last = re.sub(r"^\d+ ", "", lines[-1])
    if page < pages and (lines[-1] in headings or last in headings):
        problems.append(f"page {page} ends with the heading '{lines[-1]}'")
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY
echo "report --pdf pages ($pages): ok"
