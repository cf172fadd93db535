#!/usr/bin/env bash
# The report's layout in a real browser (issue 18): at 1280 px no data table is clipped (no
# scroll box around a table, every table as wide as its box at most, the page no wider than the
# window), and no chart legend runs past its chart. Headless Chromium loads a copy of the report
# with a small script injected that measures the layout and writes the result into the DOM
# (--dump-dom). The check is shown to fail on a copy with the old scroll boxes. Skipped (77)
# without chromium.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || skip "chromium not installed; the report's layout is not checked"

"$KAZMIG" --quiet report --out "$tmp/out" >/dev/null

# The script: for every table, its scroll width against its client width and its box's width;
# for every element that clips (overflow other than visible) and holds a table, its scroll size
# against its client size; every SVG text's right end against its SVG's right edge.
cat >"$tmp/measure.js" <<'JS'
window.addEventListener('load', () => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1)
    problems.push(`page: scrollWidth ${root.scrollWidth} > clientWidth ${root.clientWidth}`);
  const tables = document.querySelectorAll('table');
  tables.forEach((table, idx) => {
    const name = (table.querySelector('caption') || {}).textContent || `table ${idx}`;
    if (table.scrollWidth > table.clientWidth + 1)
      problems.push(`${name.slice(0, 60)}: scrollWidth ${table.scrollWidth} > ${table.clientWidth}`);
    const box = table.parentElement.getBoundingClientRect();
    const rect = table.getBoundingClientRect();
    if (rect.right > box.right + 1 || rect.left < box.left - 1)
      problems.push(`${name.slice(0, 60)}: wider than its box (${rect.width} > ${box.width})`);
    for (let el = table.parentElement; el && el !== document.body; el = el.parentElement) {
      const style = getComputedStyle(el);
      const clips = [style.overflowX, style.overflowY].some(v => v !== 'visible');
      if (clips && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1))
        problems.push(`${name.slice(0, 60)}: clipped by a scroll box ` +
                      `(${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight})`);
    }
  });
  document.querySelectorAll('svg').forEach((svg) => {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) return;
    const title = (svg.querySelector('title') || {}).textContent || 'svg';
    svg.querySelectorAll(':scope > text').forEach((text) => {
      const rect = text.getBoundingClientRect();
      if (rect.width > 0 && rect.right > box.right + 2)
        problems.push(`${title.slice(0, 50)}: text '${text.textContent.slice(0, 20)}' cut at the right`);
    });
  });
  // The flow map's and the chord diagrams' labels: at least 10 px on screen, and the flow map's
  // region names do not overlap each other (issue 19).
  const maps = document.querySelectorAll('svg.flow-map, svg.chord');
  if (maps.length < 3) problems.push(`${maps.length} flow maps and chord diagrams, want 3`);
  maps.forEach((svg) => {
    const title = (svg.querySelector('title') || {}).textContent || 'svg';
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    svg.querySelectorAll('.labels text, .legend text, text.sector-label, text.sector-label + text')
        .forEach((text) => {
      const px = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (px < 10)
        problems.push(`${title.slice(0, 40)}: label '${text.textContent.slice(0, 20)}' is ${px.toFixed(1)} px`);
    });
    const boxes = [...svg.querySelectorAll('.labels text')].map((t) => [t.textContent, t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; ++i)
      for (let j = i + 1; j < boxes.length; ++j) {
        const [a, ra] = boxes[i], [b, rb] = boxes[j];
        if (ra.left < rb.right - 1 && rb.left < ra.right - 1 && ra.top < rb.bottom - 1 && rb.top < ra.bottom - 1)
          problems.push(`${title.slice(0, 40)}: labels '${a}' and '${b}' overlap`);
      }
  });
  const out = document.createElement('pre');
  out.id = 'layout-result';
  out.textContent = `tables=${tables.length}\n` + (problems.length ? problems.join('\n') : 'OK');
  document.body.appendChild(out);
});
JS

measure() {  # measure HTML_IN RESULT_OUT [EXTRA_CSS]
  python3 - "$1" "$tmp/page.html" "$tmp/measure.js" "${3:-}" <<'PY'
import sys
html, out, js, css = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
page = open(html, encoding="utf-8").read()
inject = (f"<style>{css}</style>" if css else "") + "<script>" + open(js).read() + "</script>"
open(out, "w", encoding="utf-8").write(page.replace("</head>", inject + "</head>", 1))
PY
  "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --window-size=1280,900 --virtual-time-budget=10000 --dump-dom "file://$tmp/page.html" \
    2>/dev/null | python3 -c '
import sys, re, html
m = re.search(r"<pre id=\"layout-result\">(.*?)</pre>", sys.stdin.read(), re.S)
print(html.unescape(m.group(1)) if m else "NO RESULT")' >"$2"
}

measure "$tmp/out/index.html" "$tmp/result.txt"
grep -q "^tables=[1-9]" "$tmp/result.txt" || fail "the measuring script did not run: $(cat "$tmp/result.txt")"
tail -n +2 "$tmp/result.txt" | grep -qx OK || fail "layout problems at 1280 px:
$(cat "$tmp/result.txt")"

# The check can fail: the old side boxes (a scroll box of 420 px beside each chart) clip tables.
measure "$tmp/out/index.html" "$tmp/clipped.txt" \
  ".side { max-height: 420px; overflow-y: auto; width: 300px; }"
grep -q "clipped by a scroll box" "$tmp/clipped.txt" || fail "the check misses a clipped table:
$(cat "$tmp/clipped.txt")"

# ... and tiny map labels (the old 7 px labels: the map drawn at 60% of its width).
measure "$tmp/out/index.html" "$tmp/small.txt" "svg.flow-map { width: 60% !important; }"
grep -q "px$" "$tmp/small.txt" || fail "the check misses small flow-map labels:
$(cat "$tmp/small.txt")"

# The Russian report too (longer words).
"$KAZMIG" --quiet report --out "$tmp/ru" --lang ru >/dev/null
measure "$tmp/ru/index.html" "$tmp/result_ru.txt"
tail -n +2 "$tmp/result_ru.txt" | grep -qx OK || fail "layout problems (ru) at 1280 px:
$(cat "$tmp/result_ru.txt")"
echo "report layout: ok"
