#!/usr/bin/env bash
# `kazmig report --pdf` with headless Chromium: the PDF beside index.html, its path printed. Skipped
# when chromium is not installed (report_kz_test.sh checks --pdf without it).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v chromium >/dev/null 2>&1 || skip "chromium not installed; PDF output not checked"
"$KAZMIG" --quiet report --out "$tmp/pdf" --pdf >"$tmp/stdout.txt"
grep -qx "$tmp/pdf/report.pdf" "$tmp/stdout.txt" || fail "pdf path not printed"
head -c 5 "$tmp/pdf/report.pdf" | grep -q "%PDF-" || fail "report.pdf is not a PDF"
echo "report --pdf: ok"
