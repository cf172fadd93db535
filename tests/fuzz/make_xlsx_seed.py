#!/usr/bin/env python3
"""Writes the seed corpus of kazmig_xlsx_fuzz: tiny.xlsx (a valid two-sheet workbook with shared,
inline, number, boolean and error cells) and parts.txt (the same parts as plain text separated by
"--8<--" lines, the fuzzer's other input form). Run from the repository: deterministic output."""
import pathlib
import zipfile

WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Все население" sheetId="1" r:id="rId1"/></sheets></workbook>"""
RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>"""
SHARED = """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<si><t>Республика Казахстан</t></si><si><r><t>Туркестанская</t></r><r><t> 1</t></r></si></sst>"""
SHEET = """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="B1"><v>2000</v></c><c r="C1"><v>2001</v></c></row>
<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>14901641</v></c><c r="C2"><v>1.5E3</v></c></row>
<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="inlineStr"><is><t>42</t></is></c>\
<c r="C3" t="b"><v>1</v></c><c r="D3" t="e"><v>#N/A</v></c><c r="E3" t="str"><v>x</v></c></row>
</sheetData></worksheet>"""

PARTS = [("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", RELS),
         ("xl/sharedStrings.xml", SHARED), ("xl/worksheets/sheet1.xml", SHEET)]

out = pathlib.Path(__file__).parent / "corpus" / "xlsx"
out.mkdir(parents=True, exist_ok=True)
with zipfile.ZipFile(out / "tiny.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in PARTS:
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text)
(out / "parts.txt").write_text("\n--8<--\n".join(text for _, text in PARTS), encoding="utf-8")
