#!/usr/bin/env python3
"""Writes the workbooks data.test imports: bad.xlsx (a sheet whose layout is not BNS table 6584's)
and neg.xlsx (the layout with a negative population in B3) into the folder given.

Usage: make_xlsx.py DIR
"""
import os
import sys
import zipfile

WORKBOOK = ('<workbook xmlns:r="r"><sheets><sheet name="Все население" sheetId="1" r:id="rId1"/>'
            '</sheets></workbook>')
RELS = ('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
        '</Relationships>')
BAD_ROWS = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Регион</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>Год</t></is></c></row>')
NEG_ROWS = ('<row r="1"><c r="B1"><v>2023</v></c><c r="C1"><v>2024</v></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>Республика Казахстан</t></is></c>'
            '<c r="B2"><v>100</v></c><c r="C2"><v>100</v></c></row>'
            '<row r="3"><c r="A3" t="inlineStr"><is><t>Акмолинская</t></is></c>'
            '<c r="B3"><v>-7</v></c><c r="C3"><v>5</v></c></row>')


def write(path, rows):
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", RELS)
        book.writestr("xl/worksheets/sheet1.xml",
                      "<worksheet><sheetData>" + rows + "</sheetData></worksheet>")


write(os.path.join(sys.argv[1], "bad.xlsx"), BAD_ROWS)
write(os.path.join(sys.argv[1], "neg.xlsx"), NEG_ROWS)
