#!/usr/bin/env python3
"""Lists the English text left in a report that should be in another language.

    english_text.py REPORT.html      exit 0: none; exit 1: prints each offending text

Reads every text node and the title/aria-label/alt attributes of the HTML (the SVG charts and
maps included), except: <style> and <script>; any element marked lang="en" and its content
(text the report quotes in English on purpose: the policy register's titles, scenario
descriptions, the models' technical notes, English region names); and the list of sources
(<section id="sources">, cited as recorded). In what remains, a word of Latin letters is English
unless it is on the allow-list below (proper names, sources, abbreviations and units) or is an
identifier (its whitespace-separated token contains a digit, '_', '/', '.', ':' or '@': URLs, file
names, dates; or it is an ISO 3166-2 code such as KZ-ABY, a hyphenated lower-case id such as
law-477-iv, a kazmig command line or a field name in «»).
"""
import re
import sys
from html.parser import HTMLParser

# Names, sources, abbreviations and units that are written in Latin letters in Russian too.
ALLOW = set("""
kazmig KATO ISO UTC
e p
ANMR CMP MEI ACV IPF PPML OLS HC RMSPE MAPE AR
BNS UN DESA OECD JRC OCHA COD AB CC BY
geokz Rodionov Abel Cohen Bell Plane Mulligan et al Azose Raftery bayesMig Saisana Saltelli
Tarantola Scientific Data
README md json csv HTTP API
""".split())

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "circle", "line", "path", "rect",
        "polygon", "polyline", "stop", "use", "ellipse"}
IDENTIFIER = re.compile(r"[0-9_/.@]|^[A-Z]{2}-[A-Z]{2,3}$|^[a-z]+(-[a-z0-9]+)+$")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_./@'\-]*[A-Za-z0-9]|[A-Za-z]")


class Texts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, skipped)
        self.texts = []

    def skipped(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = (self.skipped() or tag in ("style", "script") or attrs.get("lang") == "en"
                or (tag == "section" and attrs.get("id") == "sources"))
        if not skip:
            for name in ("title", "aria-label", "alt"):
                if attrs.get(name):
                    self.texts.append((f"{tag}@{name}", attrs[name]))
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip() and not self.skipped():
            self.texts.append((self.stack[-1][0] if self.stack else "", data.strip()))


# A kazmig command line ("kazmig risk --format json") and a quoted field name («measures»).
COMMAND = re.compile(r"kazmig(?: [a-z][a-z-]*)+(?: --[a-z-]+(?: [a-z]+)?)*|«[A-Za-z_]+»")


def english_words(text):
    words = []
    for chunk in COMMAND.sub(" ", text).split():
        chunk = chunk.strip("()[]{},;:!?«»\"'")
        # URLs, file names, dates and times, numbers with units: identifiers as a whole.
        if not chunk or re.search(r"[0-9_/.@:]", chunk):
            continue
        for match in WORD.finditer(chunk):
            word = match.group(0).strip("'-")
            if not word or IDENTIFIER.search(word) or word in ALLOW:
                continue
            words.append(word)
    return words


def main():
    parser = Texts()
    with open(sys.argv[1], encoding="utf-8") as f:
        parser.feed(f.read())
    parser.close()
    found = {}
    for tag, text in parser.texts:
        words = english_words(text)
        if words:
            found.setdefault((tag, text), words)
    for (tag, text), words in found.items():
        print(f"<{tag}> {' '.join(words[:8])}  |  {text[:160]}")
    if found:
        print(f"{len(found)} texts with English words", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
