#!/usr/bin/env bash
# `kazmig report --lang en|ru|kk --year YEAR` (issue 18): the Russian report has Russian headings,
# captions, labels and region names and no English word left in its text (english_text.py: only
# what is quoted as lang="en" and the sources); the Kazakh one has Kazakh headings and region
# names, says that the rest is in Russian, and has no English either; --year moves the key
# figures, the map and the corridors to that year; bad values are usage errors (exit 2). Every
# report is well-formed HTML (every element closed, in order).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

wellformed() {  # wellformed FILE: balanced tags (void elements aside), one <html>
  python3 - "$1" <<'PY'
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "circle", "line", "path", "rect",
        "polygon", "polyline", "stop", "use", "ellipse"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors = [], []
    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))
    def handle_startendtag(self, tag, attrs):
        pass
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"line {self.getpos()[0]}: </{tag}> closes "
                               f"{self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()
check = Check()
check.feed(open(sys.argv[1], encoding="utf-8").read())
check.close()
if check.stack:
    check.errors.append(f"unclosed: {check.stack[-5:]}")
if check.errors:
    print("\n".join(check.errors[:10]))
    sys.exit(1)
PY
}

"$KAZMIG" --quiet report --out "$tmp/en" >/dev/null
wellformed "$tmp/en/index.html" || fail "English report is not well-formed"

# Russian.
"$KAZMIG" --quiet report --out "$tmp/ru" --lang ru >/dev/null
ru="$tmp/ru/index.html"
wellformed "$ru" || fail "Russian report is not well-formed"
grep -q '<html lang="ru">' "$ru" || fail "html lang attribute"
for text in "Доклад о миграционной ситуации" "Население и сальдо миграции по регионам" \
  "Регионы и границы" "Компоненты изменения численности населения" "Закономерности" "Потоки" \
  "Риски" "Краткие выводы" "Содержание" "Источники" "Рисунок 1." "Таблица 1." \
  "Международная миграция, 1991" "Абайская" "Астана" "Прибывшие" "Выбывшие" "Сальдо 2024"; do
  grep -q "$text" "$ru" || fail "Russian report lacks '$text'"
done
for text in "Migration situation report" "Population and migration balance by region" \
  "Regions and boundaries" "Components of population change" ">Regularities<" ">Flows<" \
  ">Risks<" ">Summary<" ">Contents<" ">Sources<" "Figure 1." "Table 1." \
  "International migration, 1991" "Intensity and effectiveness" "Regions that gain and lose" \
  "Largest corridors, 20" "Between the regions" "International corridors" \
  "Prospects and policy options" "Policy measures and their effects" ">Net 2024<"; do
  ! grep -q "$text" "$ru" || fail "Russian report still has the English '$text'"
done

# No English left in the Russian body text (except what is quoted as lang="en" and the sources):
# tests/integration/english_text.py lists every English word outside its allow-list.
python3 "$KAZMIG_SOURCE_DIR/tests/integration/english_text.py" "$ru" >"$tmp/english_ru.txt" ||
  fail "English text in the Russian report:
$(head -20 "$tmp/english_ru.txt")"
# The check can fail: the English report, read as if it were not English, is full of it, and one
# English heading put back into the Russian report is found.
sed 's/<html lang="en">/<html>/' "$tmp/en/index.html" >"$tmp/en_unmarked.html"
! python3 "$KAZMIG_SOURCE_DIR/tests/integration/english_text.py" "$tmp/en_unmarked.html" \
  >"$tmp/english_en.txt" 2>/dev/null || fail "the English check finds nothing in the English report"
[ "$(wc -l <"$tmp/english_en.txt")" -gt 500 ] || fail "the English check misses English text"
sed 's|>Сальдо 2024</th>|>Net 2024</th>|' "$ru" >"$tmp/ru_one_english.html"
! python3 "$KAZMIG_SOURCE_DIR/tests/integration/english_text.py" "$tmp/ru_one_english.html" \
  >"$tmp/english_one.txt" 2>/dev/null || fail "the English check misses an English heading"
grep -q "Net" "$tmp/english_one.txt" || fail "the English check does not name the English word"
# Sentences kazmig writes (policy evaluations, scenario options, model notes) are Russian, not
# quoted as lang="en": one put back as a quotation is found.
sed 's|<li><b>resettlement-north (разность разностей)</b>: [^<]*</li>|<li><span lang="en">From 2017 on, the rate was 4.90 per 1,000 higher. The interval includes zero: the data cannot tell the change from chance.</span></li>|' \
  "$ru" >"$tmp/ru_generated.html"
! cmp -s "$ru" "$tmp/ru_generated.html" || fail "no DiD evaluation sentence in the Russian report"
! python3 "$KAZMIG_SOURCE_DIR/tests/integration/english_text.py" "$tmp/ru_generated.html" \
  >"$tmp/english_generated.txt" 2>/dev/null || fail "the check misses a generated English sentence"
grep -q "generated: From 20" "$tmp/english_generated.txt" || fail "the check does not name it"
for text in "в 5 затронутых мерой регионах был на 4.90 ‰ выше" "Оценки нет: только 1 период" \
  "Сценарий предполагает:" "Базовый сценарий не предполагает изменений политики" \
  "93 из 125 значений сальдо" "регион «Южно-Казахстанская» (51) не включён" \
  "Тренды сохраняются: оценённые модели" "Мер реестра нет: это допущение" \
  "Закон Республики Казахстан № 477-IV" "Численность населения регионов на 1 января"; do
  grep -q "$text" "$ru" || fail "Russian report lacks '$text'"
done
# Scenario descriptions and register titles have Russian text in the data: not quoted in English.
for text in "Trends continue: the fitted models" "an assumption to explore, not a policy" \
  "On population migration"; do
  ! grep -q "$text" "$ru" || fail "Russian report still quotes the English '$text'"
done
# The analytical sections speak Russian too (a few of their texts).
for text in "О чём говорят цифры." "Крупнейшие межрегиональные направления" \
  "Факторы миграции простыми словами" "Индекс миграционного риска" \
  "Прогноз численности населения" "Хронология мер миграционной политики" "Россия" \
  "при прочих равных условиях" "первой публикации"; do
  grep -q "$text" "$ru" || fail "Russian report lacks '$text'"
done

# Kazakh: headings and region names, the rest in Russian, and it says so.
"$KAZMIG" --quiet report --out "$tmp/kk" --lang kk >/dev/null
kk="$tmp/kk/index.html"
wellformed "$kk" || fail "Kazakh report is not well-formed"
grep -q '<html lang="kk">' "$kk" || fail "kk lang attribute"
for text in "Көші-қон жағдайы туралы баяндама" "Өңірлер және шекаралар" "Заңдылықтар" \
  "қалған мәтін орыс тілінде" "Сурет 1." "Кесте 1." "Абай"; do
  grep -q "$text" "$kk" || fail "Kazakh report lacks '$text'"
done
# The rest falls back to Russian (no English either).
grep -q "Крупнейшие межрегиональные направления" "$kk" || fail "Kazakh report: Russian fallback"
python3 "$KAZMIG_SOURCE_DIR/tests/integration/english_text.py" "$kk" >"$tmp/english_kk.txt" ||
  fail "English text in the Kazakh report:
$(head -20 "$tmp/english_kk.txt")"

# --year: the reference year of the key figures, map and corridors.
"$KAZMIG" --quiet report --out "$tmp/y2023" --year 2023 >/dev/null
y="$tmp/y2023/index.html"
grep -q "<dt>Reference year</dt><dd>2023</dd>" "$y" || fail "--year 2023: reference year"
grep -q "largest inter-regional gain, 2023" "$y" || fail "--year 2023: key figure"
grep -q "Inter-regional net migration per 1,000 population, 2023" "$y" || fail "--year 2023: map"
grep -q "international net migration, 2023" "$y" || fail "--year 2023: international key figure"
grep -q "Largest corridors, 2023" "$y" || fail "--year 2023: corridors"
grep -q "<dt>Reference year</dt><dd>2024</dd>" "$tmp/en/index.html" || fail "default reference year"
# The default prefers the final 2024 figures to the preliminary 2025 ones in the key figures.
grep -q "international net migration, 2024<" "$tmp/en/index.html" || fail "key figure: final 2024"
grep -q "2025 figures (preliminary)" "$tmp/en/index.html" || fail "summary: 2025 preliminary"

# Bad values: usage errors.
expect_exit 2 "2022, 2023, 2024" "$KAZMIG" --quiet report --out "$tmp/bad" --year 2019
expect_exit 2 "en, ru, kk" "$KAZMIG" --quiet report --out "$tmp/bad" --lang de
echo "report --lang/--year: ok"
