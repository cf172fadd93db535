#!/usr/bin/env python3
"""Writes data/kz/country_names.csv: the names by which `kazmig data show --region` (and the other
commands that select a country) accept a country, one name a row: iso3,lang,name,source.

Sources: the English names of data/kz/world_countries.csv (UN DESA / Abel & Cohen metadata);
Debian's iso-codes package (ISO 3166-1 names, common and official names, with their Russian and
Kazakh translations from /usr/share/locale/{ru,kk}/LC_MESSAGES/iso_3166-1.mo); and a few short
names the Bureau and CIS-Stat use (listed below as BUREAU_NAMES and KAZMIG_ALIASES, source
"kazmig"). The first name of a country in each language is its display name (the Bureau's name
where it differs from ISO's).

    python3 scripts/country_names.py > data/kz/country_names.csv
"""
import csv
import gettext
import json
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
ISO = pathlib.Path("/usr/share/iso-codes/json/iso_3166-1.json")

# The names the Bureau prints in its tables where they differ from ISO 3166-1's first Russian
# translation: written first, so that the first name of a country in each language is the one
# reports show (`CountryNames::Name(iso3, lang)`).
BUREAU_NAMES = [
    ("RUS", "ru", "Россия"),
    ("KGZ", "ru", "Кыргызстан"),
    ("MDA", "ru", "Молдова"),
    ("USA", "ru", "США"),
    ("GBR", "ru", "Великобритания"),
    ("TUR", "ru", "Турция"),
    ("TUR", "kk", "Түркия"),
]

# Short and customary names in the Bureau's tables that ISO 3166-1's translations lack.
KAZMIG_ALIASES = [
    ("RUS", "ru", "Россия"),
    ("RUS", "en", "Russia"),
    ("KGZ", "ru", "Кыргызстан"),
    ("KGZ", "ru", "Кыргызская Республика"),
    ("MDA", "ru", "Молдова"),
    ("GBR", "ru", "Великобритания"),
    ("USA", "ru", "США"),
    ("USA", "ru", "Соединенные Штаты"),
    ("USA", "en", "USA"),
    ("GBR", "en", "UK"),
    ("TKM", "ru", "Туркмения"),
    ("BLR", "ru", "Белоруссия"),
    ("KOR", "ru", "Южная Корея"),
    ("IRN", "ru", "Иран"),
    ("SYR", "ru", "Сирия"),
    ("VNM", "ru", "Вьетнам"),
    ("CZE", "ru", "Чехия"),
]


def main():
    known = {}
    with open(REPO / "data" / "kz" / "world_countries.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            known[row["iso3"]] = row["name"]
    rows = []
    seen = set()

    def add(iso3, lang, name, source):
        name = name.strip()
        if not name or iso3 not in known:
            return
        key = (iso3, lang, name.lower())
        if key in seen:
            return
        seen.add(key)
        rows.append((iso3, lang, name, source))

    for iso3, name in known.items():
        add(iso3, "en", name, "world_countries.csv")
    for iso3, lang, name in BUREAU_NAMES:
        add(iso3, lang, name, "kazmig")
    iso = json.loads(ISO.read_text(encoding="utf-8"))["3166-1"]
    translations = {
        lang: gettext.translation("iso_3166-1", localedir="/usr/share/locale", languages=[lang])
        for lang in ("ru", "kk")
    }
    for entry in iso:
        iso3 = entry["alpha_3"]
        for field in ("common_name", "name", "official_name"):
            if field in entry:
                add(iso3, "en", entry[field], "iso-codes")
        for lang, tr in translations.items():
            for field in ("common_name", "name", "official_name"):
                if field in entry:
                    text = tr.gettext(entry[field])
                    if text != entry[field]:
                        add(iso3, lang, text, "iso-codes")
    for iso3, lang, name in KAZMIG_ALIASES:
        add(iso3, lang, name, "kazmig")
    rows.sort(key=lambda r: (r[0], {"en": 0, "ru": 1, "kk": 2}[r[1]]))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["iso3", "lang", "name", "source"])
    out.writerows(rows)


if __name__ == "__main__":
    main()
