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

Text marked lang="en" is quoted data (a title or description as the data record it), never a
sentence kazmig writes itself: a lang="en" text holding one of the GENERATED phrases below (the
policy evaluations, the scenario options, the models' notes, ...) is reported too.
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

# Phrases of sentences kazmig composes (app/ and policy/): in another language the report phrases
# them through its catalogue, so they must not appear even quoted as lang="en".
GENERATED = [
    # policy/effects.cc: the evaluation sentence and its reasons.
    "From 20", "than the trend before the measure", "than in the unaffected regions",
    "than in a weighted mix", "The interval excludes zero", "The interval includes zero",
    "not credible evidence", "No estimate:", "pre-period", "poor pre-period fit",
    "failed pre-trend test", "a national measure:",
    # app/policy.cc: the design's units, the gap notes, the options' sentences.
    "of the 16 kz-2009 units", "Kazakhstan (national)", "left out: its series has a gap",
    "The scenario assumes", "The baseline assumes", "persons a year", "none (trends continue)",
    "measured effect (", "No measure in the register corresponds",
    # app/factors.cc: the models' notes.
    "balances are *estimated", "registered arrivals and departures include",
    "region-years left out", "without a positive UN DESA stock",
    "the last year's figures are preliminary",
    # app/project.cc: the projection's notes.
    "is not published: it is the 1 January", "simulated rates were held at their bounds",
]

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "circle", "line", "path", "rect",
        "polygon", "polyline", "stop", "use", "ellipse"}
IDENTIFIER = re.compile(r"[0-9_/.@]|^[A-Z]{2}-[A-Z]{2,3}$|^[a-z]+(-[a-z0-9]+)+$")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_./@'\-]*[A-Za-z0-9]|[A-Za-z]")


class Texts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, skipped, inside lang="en")
        self.texts = []
        self.english = []  # the texts marked lang="en"

    def skipped(self):
        return bool(self.stack) and self.stack[-1][1]

    def quoted(self):
        return bool(self.stack) and self.stack[-1][2]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = (self.skipped() or tag in ("style", "script") or attrs.get("lang") == "en"
                or (tag == "section" and attrs.get("id") == "sources"))
        if not skip:
            for name in ("title", "aria-label", "alt"):
                if attrs.get(name):
                    self.texts.append((f"{tag}@{name}", attrs[name]))
        quoted = (self.quoted() or attrs.get("lang") == "en") and tag not in ("style", "script")
        if tag not in VOID:
            self.stack.append((tag, skip, quoted))

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
        elif data.strip() and self.quoted():
            self.english.append(data.strip())


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
        html = f.read()
    parser.feed(html)
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
    # Sentences kazmig writes, quoted as lang="en" (only in a report that is not English).
    generated = []
    if '<html lang="en"' not in html:
        for text in parser.english:
            phrases = [phrase for phrase in GENERATED if phrase in text]
            if phrases:
                generated.append((phrases, text))
    for phrases, text in generated:
        print(f"<lang=en> generated: {'; '.join(phrases[:3])}  |  {text[:160]}")
    if generated:
        print(f"{len(generated)} generated English sentences quoted as lang=\"en\"",
              file=sys.stderr)
    return 1 if found or generated else 0


if __name__ == "__main__":
    sys.exit(main())
