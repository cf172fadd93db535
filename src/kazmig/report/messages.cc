#include "kazmig/report/messages.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "kazmig/core/error.h"

namespace kazmig::report {
namespace {

struct Message {
  const char* id;
  const char* en;
  const char* ru;
  const char* kk;  // nullptr: falls back to Russian
};

// One row per message. Keep the ids grouped by where they appear.
constexpr Message kMessages[] = {
    // ---- the document ---------------------------------------------------------------------
    {"kicker", "kazmig \u00b7 migration observatory for Kazakhstan",
     "kazmig \u00b7 миграционная обсерватория Казахстана",
     "kazmig \u00b7 Қазақстанның көші-қон обсерваториясы"},
    {"title", "Migration situation report: Kazakhstan", "Доклад о миграционной ситуации: Казахстан",
     "Көші-қон жағдайы туралы баяндама: Қазақстан"},
    {"subtitle",
     "Population and migration balance by region; international migration since 1991; reference "
     "year {0}",
     "Население и сальдо миграции по регионам; международная миграция с 1991 года; отчётный год "
     "{0}",
     nullptr},
    {"meta.generated", "Generated", "Создан", "Жасалған"},
    {"meta.regions", "Regions", "Регионы", "Өңірлер"},
    {"meta.regions.value", "{0} units at the 2022 borders ({1})",
     "{0} единиц в границах 2022 года ({1})", nullptr},
    {"meta.data", "Data", "Данные", "Деректер"},
    {"meta.marks", "Marks", "Обозначения", "Белгілер"},
    {"meta.marks.value",
     "official: as published by the Bureau of National Statistics (or as stated); estimated (e): "
     "computed by kazmig; preliminary (p)",
     "официальные: как опубликовано Бюро национальной статистики (или как указано); оценка (e): "
     "рассчитано kazmig; предварительные (p)",
     nullptr},
    {"meta.produced", "Produced by", "Подготовлено", "Дайындаған"},
    {"meta.language", "Language", "Язык", "Тіл"},
    {"meta.language.kk", "Kazakh: region names and headings; the rest of the text is in Russian",
     "казахский: названия регионов и заголовки; остальной текст на русском языке",
     "қазақша: өңір атаулары мен тақырыптар; қалған мәтін орыс тілінде"},
    {"meta.reference", "Reference year", "Отчётный год", "Есепті жыл"},
    {"figure", "Figure", "Рисунок", "Сурет"},
    {"table", "Table", "Таблица", "Кесте"},
    {"sources", "Sources", "Источники", "Дереккөздер"},
    {"summary", "Summary", "Краткие выводы", "Қысқаша қорытынды"},
    {"contents", "Contents", "Содержание", "Мазмұны"},
    {"key_figures", "Key figures", "Основные показатели", "Негізгі көрсеткіштер"},
    {"footer",
     "Produced by kazmig. Official figures are reproduced as published; estimated values are "
     "marked. The report is self-contained and needs no network access.",
     "Подготовлено kazmig. Официальные данные воспроизведены как опубликованы; оценки отмечены. "
     "Доклад самодостаточен и не требует доступа к сети.",
     nullptr},
    {"official", "official", "официальные", "ресми"},
    {"estimated", "estimated", "оценка", "бағалау"},
    {"preliminary", "preliminary", "предварительные", "алдын ала"},
    {"no_data", "no data", "нет данных", "деректер жоқ"},
    {"range", "range", "диапазон", "ауқым"},

    // ---- section titles and subheadings --------------------------------------------------
    {"sec.balance", "Population and migration balance by region",
     "Население и сальдо миграции по регионам", "Өңірлер бойынша халық және көші-қон сальдосы"},
    {"sec.regions", "Regions and boundaries", "Регионы и границы", "Өңірлер және шекаралар"},
    {"sec.components", "Components of population change by region",
     "Компоненты изменения численности населения по регионам",
     "Өңірлер бойынша халық санының өзгеру құрамдас бөліктері"},
    {"sec.regularities", "Regularities", "Закономерности", "Заңдылықтар"},
    {"sec.flows", "Flows", "Потоки", "Ағындар"},
    {"sec.factors", "Factors: what drives migration", "Факторы: что движет миграцией",
     "Факторлар: көші-қонды не қозғайды"},
    {"sec.potential", "Potential: what would change", "Потенциал: что изменилось бы",
     "Әлеует: не өзгерер еді"},
    {"sec.risks", "Risks", "Риски", "Тәуекелдер"},
    {"sec.prospects", "Prospects and policy options", "Перспективы и варианты политики",
     "Болашақ және саясат нұсқалары"},
    {"sec.policy", "Policy measures and their measured effects", "Меры политики и их последствия",
     "Саясат шаралары және олардың әсері"},
    {"h.international", "International migration, {0}\u2013{1}",
     "Международная миграция, {0}\u2013{1}", "Халықаралық көші-қон, {0}\u2013{1}"},
    {"h.intensity", "Intensity and effectiveness, {0}", "Интенсивность и результативность, {0}",
     "Қарқындылық және нәтижелілік, {0}"},
    {"h.gainers", "Regions that gain and lose", "Регионы, которые приобретают и теряют население",
     "Халық санын арттыратын және жоғалтатын өңірлер"},
    {"h.corridors", "Largest corridors, {0}", "Крупнейшие направления, {0}",
     "Ең ірі бағыттар, {0}"},
    {"h.concentration", "Concentration, {0}", "Концентрация, {0}", "Шоғырлану, {0}"},
    {"h.between", "Between the regions, {0}", "Между регионами, {0}", "Өңірлер арасында, {0}"},
    {"h.international_corridors", "International corridors", "Международные направления",
     "Халықаралық бағыттар"},
    {"h.known", "Registered moves and modelled flows, {0}",
     "Зарегистрированные переезды и модельные потоки, {0}",
     "Тіркелген көшулер және модельдік ағындар, {0}"},

    // ---- section 1: balance ----------------------------------------------------------------
    {"balance.intro",
     "Inter-regional net migration is the number of people who registered their arrival in a "
     "region from another region of Kazakhstan, minus those who left it for another region; moves "
     "between districts of the same region are not counted. Rates are per 1,000 people of the "
     "region's average annual population, which the Bureau of National Statistics recalculates to "
     "the 2022 borders for every year.",
     "Межрегиональное сальдо миграции — число людей, зарегистрировавших прибытие в регион из "
     "другого региона Казахстана, за вычетом выбывших из него в другой регион; переезды между "
     "районами одного региона не учитываются. Коэффициенты рассчитаны на 1 000 человек "
     "среднегодовой численности населения региона, которую Бюро национальной статистики "
     "пересчитывает в границы 2022 года для каждого года.",
     nullptr},
    {"balance.missing",
     "Inter-regional net migration is not in the database: run kazmig data init to load the "
     "built-in dataset, then write the report again.",
     "Межрегионального сальдо миграции нет в базе данных: выполните kazmig data init, чтобы "
     "загрузить встроенный набор данных, и создайте доклад снова.",
     nullptr},
    {"key.gain", "{0}: largest inter-regional gain, {1}",
     "{0}: наибольший межрегиональный прирост, {1}", nullptr},
    {"key.loss", "{0}: largest inter-regional loss, {1}",
     "{0}: наибольшая межрегиональная убыль, {1}", nullptr},
    {"per_1000", "{0} per 1,000", "{0} на 1 000", nullptr},
    {"summary.balance",
     "In {0}, {1} of {2} regions gained population through moves between regions. The largest "
     "gains were in {3}; the largest losses in {4}.",
     "В {0} году {1} из {2} регионов увеличили население за счёт переездов между регионами. "
     "Наибольший прирост — {3}; наибольшая убыль — {4}.",
     nullptr},
    {"and", "and", "и", "және"},
    {"map.title", "Inter-regional net migration per 1,000 population, {0}",
     "Межрегиональное сальдо миграции на 1 000 человек населения, {0}", nullptr},
    {"map.legend.rate", "Net inter-regional migration per 1,000 population, {0}",
     "Межрегиональное сальдо миграции на 1 000 человек, {0}", nullptr},
    {"map.legend.persons", "Net inter-regional migration (persons), {0}",
     "Межрегиональное сальдо миграции (человек), {0}", nullptr},
    {"map.caption",
     "Inter-regional net migration {0}, per 1,000 of the average annual population, by region "
     "(2022 borders). Blue regions gained people from other regions, red regions lost them.",
     "Межрегиональное сальдо миграции {0} на 1 000 человек среднегодового населения по регионам "
     "(границы 2022 года). Синие регионы получили население из других регионов, красные — "
     "потеряли.",
     nullptr},
    {"bars.unit.rate", "per 1,000 population", "на 1 000 человек", nullptr},
    {"bars.unit.persons", "persons", "человек", "адам"},
    {"bars.caption", "Regions ranked by inter-regional net migration per 1,000 population, {0}.",
     "Регионы по межрегиональному сальдо миграции на 1 000 человек, {0}.", nullptr},
    {"col.region", "Region", "Регион", "Өңір"},
    {"col.avg_population", "Average population {0}", "Среднегодовое население {0}", nullptr},
    {"col.net_year", "Net {0}", "Сальдо {0}", nullptr},
    {"col.rate_year", "Net per 1,000, {0}", "Сальдо на 1 000, {0}", nullptr},
    {"row.kz_sum", "Kazakhstan (sum of regions)", "Казахстан (сумма регионов)",
     "Қазақстан (өңірлер сомасы)"},
    {"balance.notes",
     "Net = arrivals from other regions minus departures to other regions (persons). The sum over "
     "regions is zero when every move is recorded at both ends. Registered internal moves rose by "
     "about 48% in 2024 (a change in registration): compare 2024 with earlier years with care. "
     "Abai, Jetisu and Ulytau exist from June 2022; the Bureau reports 2022 at the new borders.",
     "Сальдо = прибывшие из других регионов минус выбывшие в другие регионы (человек). Сумма по "
     "регионам равна нулю, когда каждый переезд учтён с обеих сторон. Число зарегистрированных "
     "внутренних переездов выросло в 2024 году примерно на 48% (изменение регистрации): "
     "сравнивайте 2024 год с предыдущими с осторожностью. Абайская, Жетысуская и Улытауская "
     "области существуют с июня 2022 года; Бюро приводит 2022 год в новых границах.",
     nullptr},
    {"note.e", "e = estimated value.", "e — оценка.", nullptr},
    {"note.p", "p = preliminary.", "p — предварительные данные.", nullptr},
    {"balance.table", "Population and inter-regional net migration by region, {0}\u2013{1}",
     "Население и межрегиональное сальдо миграции по регионам, {0}\u2013{1}", nullptr},
    {"intl.missing", "International migration is not in the database: run kazmig data init.",
     "Международной миграции нет в базе данных: выполните kazmig data init.", nullptr},
    {"intl.intro",
     "Arrivals and departures of people changing their permanent residence to or from "
     "Kazakhstan, as registered; net = arrivals minus departures.",
     "Прибывшие и выбывшие лица, сменившие постоянное место жительства с въездом в Казахстан или "
     "выездом из него, по данным регистрации; сальдо = прибывшие минус выбывшие.",
     nullptr},
    {"intl.revision",
     "Revision: the international migration of {0} was revised after its first release; the "
     "built-in data hold the revised figures ({1} arrivals, {2} departures; first released: {3} "
     "and {4}).",
     "Пересмотр: данные о международной миграции за {0} год были пересмотрены после первой "
     "публикации; встроенные данные содержат пересмотренные значения ({1} прибывших, {2} "
     "выбывших; при первой публикации: {3} и {4}).",
     nullptr},
    {"intl.chart", "International migration of Kazakhstan, {0}\u2013{1}",
     "Международная миграция Казахстана, {0}\u2013{1}", nullptr},
    {"persons_per_year", "persons per year", "человек в год", "адам жылына"},
    {"arrivals", "Arrivals", "Прибывшие", "Келгендер"},
    {"departures", "Departures", "Выбывшие", "Кеткендер"},
    {"net", "Net", "Сальдо", "Сальдо"},
    {"year", "Year", "Год", "Жыл"},
    {"intl.key", "international net migration, {0}{1}", "сальдо международной миграции, {0}{1}",
     nullptr},
    {"intl.key.p", " (preliminary)", " (предварительные)", nullptr},
    {"intl.key.note", "{0} arrivals, {1} departures", "{0} прибывших, {1} выбывших", nullptr},
    {"intl.summary",
     "International migration: in {0} Kazakhstan registered {1} arrivals and {2} departures from "
     "and to other countries (net {3}){4}. The largest net outflow of the period was in {5} ({6}).",
     "Международная миграция: в {0} году в Казахстане зарегистрировано {1} прибывших из других "
     "стран и {2} выбывших в другие страны (сальдо {3}){4}. Наибольший чистый отток за период — "
     "в {5} году ({6}).",
     nullptr},
    {"intl.summary.p", "; {0} figures (preliminary): net {1}",
     "; данные за {0} год (предварительные): сальдо {1}", nullptr},
    {"intl.table", "Data: international migration, {0}\u2013{1} (persons)",
     "Данные: международная миграция, {0}\u2013{1} (человек)", nullptr},
    {"intl.recent", "International migration of Kazakhstan, {0}\u2013{1} (detail)",
     "Международная миграция Казахстана, {0}\u2013{1} (подробно)", nullptr},
    {"intl.caption",
     "Arrivals, departures and net international migration of Kazakhstan, {0}\u2013{1} (left) "
     "and {2}\u2013{1} on its own scale (right). Dotted verticals mark migration-policy measures "
     "(see the Policy section). Values from {3} are preliminary (hollow points, p in the table).",
     "Прибывшие, выбывшие и сальдо международной миграции Казахстана, {0}\u2013{1} (слева) и "
     "{2}\u2013{1} в собственном масштабе (справа). Пунктирные вертикали — меры миграционной "
     "политики (см. раздел о политике). Значения с {3} года предварительные (полые точки, p в "
     "таблице).",
     nullptr},
    {"pop.key", "average annual population, {0}", "среднегодовая численность населения, {0}",
     nullptr},
    {"pop.key.note", "sum of the regions, BNS table 6576", "сумма регионов, таблица БНС 6576",
     nullptr},

    // ---- section 2: regions ------------------------------------------------------------------
    {"regions.intro",
     "Kazakhstan has {0} first-level units at the current (2022) borders: 17 regions (oblys) and "
     "the three cities of republican significance Astana, Almaty and Shymkent. Their borders "
     "changed twice in the period covered: in June 2018 Shymkent became a city of republican "
     "significance and South Kazakhstan was renamed Turkistan; in June 2022 Abai was split from "
     "East Kazakhstan, Jetisu from Almaty region and Ulytau from Karagandy. Series that cross "
     "these "
     "dates are compared at the 2022 borders (the kazmig crosswalk command converts between them; "
     "README.md).",
     "В Казахстане {0} административно-территориальных единиц первого уровня в современных "
     "(2022) границах: 17 областей и три города республиканского значения — Астана, Алматы и "
     "Шымкент. Границы дважды менялись за рассматриваемый период: в июне 2018 года Шымкент стал "
     "городом республиканского значения, а Южно-Казахстанская область переименована в "
     "Туркестанскую; в июне 2022 года из Восточно-Казахстанской области выделена Абайская, из "
     "Алматинской — Жетысуская, из Карагандинской — Улытауская. Ряды, пересекающие эти даты, "
     "сравниваются в границах 2022 года (пересчёт между границами выполняет команда kazmig "
     "crosswalk; README.md).",
     nullptr},
    {"regions.map", "Regions of Kazakhstan ({0}): {1} units",
     "Регионы Казахстана ({0}): {1} единиц", nullptr},
    {"regions.caption", "The {0} regions of Kazakhstan at the 2022 borders. Data: the table below.",
     "{0} регионов Казахстана в границах 2022 года. Данные: таблица ниже.", nullptr},
    {"col.kato", "KATO", "КАТО", "ӘАОЖ"},
    {"col.iso", "ISO 3166-2", "ISO 3166-2", "ISO 3166-2"},
    {"col.kazakh", "Kazakh", "Казахское название", "Қазақша атауы"},
    {"col.russian", "Russian", "Русское название", "Орысша атауы"},
    {"col.english", "English", "Английское название", "Ағылшынша атауы"},
    {"col.valid", "At these borders", "В этих границах", "Осы шекараларда"},
    {"regions.table", "The regions of Kazakhstan ({0})", "Регионы Казахстана ({0})", nullptr},
    {"regions2018.map", "Regions of Kazakhstan, June 2018 to June 2022: 17 units",
     "Регионы Казахстана, июнь 2018 — июнь 2022: 17 единиц", nullptr},
    {"col.region2018", "Region, 2018\u20132022", "Регион, 2018\u20132022", nullptr},
    {"col.at2022", "At the 2022 borders", "В границах 2022 года", nullptr},
    {"regions2018.caption",
     "The 17 regions between June 2018 and June 2022 (kz-2018): East Kazakhstan still includes "
     "Abai, Almaty region includes Jetisu, and Karagandy includes Ulytau. Beside: each unit and "
     "the 2022 regions it became.",
     "17 регионов с июня 2018 по июнь 2022 года (kz-2018): Восточно-Казахстанская область ещё "
     "включает Абайскую, Алматинская — Жетысускую, Карагандинская — Улытаускую. Рядом: каждая "
     "единица и регионы 2022 года, которыми она стала.",
     nullptr},
    {"regions2018.table", "Data: regions of 2018\u20132022", "Данные: регионы 2018\u20132022",
     nullptr},
    {"summary.breaks",
     "Series breaks: new regions in June 2018 (Shymkent, Turkistan) and June 2022 (Abai, Jetisu, "
     "Ulytau); registered internal moves jump by about 48% in 2024 (registration change); figures "
     "from {0} are preliminary.",
     "Разрывы рядов: новые регионы в июне 2018 года (Шымкент, Туркестанская область) и в июне "
     "2022 года (Абайская, Жетысуская, Улытауская области); число зарегистрированных внутренних "
     "переездов выросло примерно на 48% в 2024 году (изменение регистрации); данные с {0} года "
     "предварительные.",
     nullptr},
    // ---- the outline, data and methods, the chord diagram (issue 19) ----------------------
    {"sec.findings", "Key findings in plain words", "Основные выводы простыми словами",
     "Негізгі қорытындылар қарапайым тілмен"},
    {"sec.methods", "Data and methods", "Данные и методы", "Деректер және әдістер"},
    {"data", "Data", "Данные", "Деректер"},
    {"methods.intro",
     "Every number in this report comes from the built-in dataset (data/kz, described in "
     "data/kz/SOURCES.md) or is computed from it by kazmig; the sources list at the end names the "
     "origin of every figure and table. Official values are reproduced as published; values "
     "computed by kazmig or by a model are marked estimated (e), figures not yet final "
     "preliminary (p).",
     "Все числа доклада взяты из встроенного набора данных (data/kz, описан в "
     "data/kz/SOURCES.md) или рассчитаны по нему kazmig; список источников в конце называет "
     "происхождение каждого рисунка и каждой таблицы. Официальные значения воспроизведены как "
     "опубликованы; значения, рассчитанные kazmig или моделью, отмечены как оценки (e), "
     "неокончательные данные — как предварительные (p).",
     nullptr},
    {"methods.table", "Methods of the report and where they are documented",
     "Методы доклада и их описание", nullptr},
    {"methods.col.part", "Section", "Раздел", "Бөлім"},
    {"methods.col.method", "Method", "Метод", "Әдіс"},
    {"methods.col.doc", "Documentation", "Описание", nullptr},
    {"methods.regularities",
     "Net rates per 1,000; aggregate net migration rate (ANMR), crude migration probability "
     "(CMP) and migration effectiveness index (MEI)",
     "Коэффициенты сальдо на 1 000; совокупный коэффициент чистой миграции (ANMR), грубая "
     "вероятность миграции (CMP) и индекс результативности миграции (MEI)",
     nullptr},
    {"methods.flows",
     "Inter-regional flows estimated from the official nets (gravity prior, iterative "
     "proportional fitting, a band over the assumptions); international corridors: official CIS "
     "statistics and Abel & Cohen's estimates",
     "Межрегиональные потоки, оценённые по официальным сальдо (гравитационная априорная модель, "
     "итеративная пропорциональная подгонка, диапазон по допущениям); международные направления: "
     "официальная статистика СНГ и оценки Абеля и Коэна",
     nullptr},
    {"methods.factors",
     "Poisson regression (PPML) of flows and rates on regional factors, with robust intervals",
     "Пуассоновская регрессия (PPML) потоков и коэффициентов на региональные факторы с "
     "устойчивыми интервалами",
     nullptr},
    {"methods.potential", "Predicted change of the balance under a scenario of the factors",
     "Прогноз изменения сальдо при сценарии факторов", nullptr},
    {"methods.risks", "Composite migration-risk index with a sensitivity analysis of its weights",
     "Сводный индекс миграционного риска с анализом чувствительности весов", nullptr},
    {"methods.prospects",
     "Cohort-component projection with simulated uncertainty, scenarios and a backtest",
     "Когортно-компонентный прогноз с имитацией неопределённости, сценариями и ретроспективной "
     "проверкой",
     nullptr},
    {"methods.policy",
     "Difference-in-differences, synthetic control and interrupted time series, each with its "
     "checks",
     "Разность разностей, синтетический контроль и прерванные временные ряды, каждый со своими "
     "проверками",
     nullptr},
    {"methods.breaks", "Series breaks", "Разрывы рядов", "Қатарлардың үзілістері"},
    {"chord.h", "Largest international corridors", "Крупнейшие международные направления",
     "Ең ірі халықаралық бағыттар"},
    {"chord.intro",
     "The chord diagrams show Kazakhstan's {0} largest corridors in Abel & Cohen's estimates, "
     "in the first and the latest 5-year period: each country's arc is as long as its flows "
     "to and from Kazakhstan; a ribbon runs from the origin (full height at its arc) to the "
     "destination (ending short of its arc), in the origin's colour. The other partners are "
     "summed in one arc.",
     "Хордовые диаграммы показывают {0} крупнейших направлений миграции Казахстана по оценкам "
     "Абеля и Коэна в первом и последнем пятилетних периодах: длина дуги страны равна её потокам "
     "в Казахстан и из Казахстана; лента идёт от страны выбытия (у её дуги во всю высоту) к стране "
     "прибытия (не доходя до её дуги), в цвете страны выбытия. Остальные партнёры объединены в "
     "одну дугу.",
     nullptr},
    {"chord.panel", "Kazakhstan's {0} largest corridors, {1} (estimated)",
     "{0} крупнейших направлений Казахстана, {1} (оценка)", nullptr},
    {"chord.caption",
     "Chord diagrams of Kazakhstan's {0} largest international corridors, {1} (left) and {2} "
     "(right): arcs sized by each country's total flow with Kazakhstan, ribbons from origin to "
     "destination (Abel & Cohen's estimated 5-year flows).",
     "Хордовые диаграммы {0} крупнейших международных направлений Казахстана, {1} (слева) и {2} "
     "(справа): дуги по суммарному потоку страны с Казахстаном, ленты от страны выбытия к стране "
     "прибытия (оценки пятилетних потоков Абеля и Коэна).",
     nullptr},
    {"chord.table",
     "Largest international corridors of Kazakhstan, {0} and {1} (persons per 5 years)",
     "Крупнейшие международные направления Казахстана, {0} и {1} (человек за 5 лет)", nullptr},
    {"chord.col.period", "Period", "Период", "Кезең"},
    {"chord.col.rank", "Rank", "Место", "Орын"},
    {"chord.col.partner", "Partner country", "Страна-партнёр", "Серіктес ел"},
    {"chord.col.to", "To Kazakhstan", "В Казахстан", "Қазақстанға"},
    {"chord.col.from", "From Kazakhstan", "Из Казахстана", "Қазақстаннан"},
    {"chord.col.total", "Total", "Всего", "Барлығы"},
    {"chord.others", "Other countries ({0})", "Другие страны ({0})", "Басқа елдер ({0})"},
    {"chord.kazakhstan", "Kazakhstan", "Казахстан", "Қазақстан"},
    {"chord.notes",
     "e: estimated by Abel & Cohen (2019) from the UN DESA bilateral migrant stocks; the same "
     "selection as the HTTP API's international corridors (/api/flows/international).",
     "e: оценки Абеля и Коэна (2019) по двусторонним запасам мигрантов ООН (UN DESA); тот же "
     "отбор, что в HTTP API (/api/flows/international).",
     nullptr},

    {"summary.internal",
     "Internal migration, {0}: moves between regions redistributed {1} per 100 residents on "
     "balance (ANMR, official)",
     "Внутренняя миграция, {0}: переезды между регионами перераспределили {1} на 100 жителей "
     "(коэффициент ANMR, официальные данные)",
     nullptr},
    {"summary.internal.assumed",
     "; the gross number of moves between regions is not published (the model's CMP and MEI rest "
     "on an assumed total and are shown as ranges only)",
     "; общее число переездов между регионами не публикуется (модельные CMP и MEI основаны на "
     "предполагаемом итоге и показаны только как диапазоны)",
     nullptr},
    {"summary.internal.see", ". See Regularities.", ". См. раздел «Закономерности».", nullptr},
    {"prospects.key", "Projected population of Kazakhstan on 1 January {0} (baseline median)",
     "Прогноз численности населения Казахстана на 1 января {0} года (базовый сценарий, медиана)",
     nullptr},
    {"prospects.key.note", "80% interval {0} \u2013 {1}", "80%-й интервал {0} \u2013 {1}", nullptr},

    // ---- components of change ----------------------------------------------------------------
    {"components.intro",
     "How each region's population changed between 1 January {0} and 1 January {1}: natural "
     "increase (births minus deaths, official counts) and net migration. Net migration here is "
     "estimated, as the residual of the official 1 January populations: population change minus "
     "natural increase. It includes international migration and any correction of the population "
     "count, and it is shown for the 16 regions of 2009\u20132018 (later regions are merged into "
     "the region they were part of), so that every year is at the same borders.",
     "Как менялась численность населения каждого региона с 1 января {0} по 1 января {1} года: "
     "естественный прирост (родившиеся минус умершие, официальные данные) и сальдо миграции. "
     "Сальдо миграции здесь — оценка, остаток официальной численности населения на 1 января: "
     "изменение численности минус естественный прирост. Оно включает международную миграцию и "
     "любые поправки численности и приводится для 16 регионов 2009\u20132018 годов (более "
     "поздние регионы объединены с теми, из которых они выделены), чтобы все годы были в "
     "одних границах.",
     nullptr},
    {"components.natural.chart", "Natural increase per 1,000 per year, {0}\u2013{1}",
     "Естественный прирост на 1 000 человек в год, {0}\u2013{1}", nullptr},
    {"components.net.chart", "Net migration (estimated) per 1,000 per year, {0}\u2013{1}",
     "Сальдо миграции (оценка) на 1 000 человек в год, {0}\u2013{1}", nullptr},
    {"components.natural", "Natural increase (official)", "Естественный прирост (официальные)",
     "Табиғи өсім"},
    {"components.net", "Net migration (estimated, residual)", "Сальдо миграции (оценка, остаток)",
     "Көші-қон сальдосы (бағалау)"},
    {"components.unit", "per 1,000 mean population per year",
     "на 1 000 человек среднего населения в год", nullptr},
    {"components.caption",
     "Components of population change by region, {0}\u2013{1}: natural increase (left, official "
     "births and deaths) and net migration (right, estimated as the residual of the 1 January "
     "populations), each per 1,000 mean population per year. Regions at the 2009\u20132018 "
     "borders, in the order of their net migration. Data: the table below.",
     "Компоненты изменения численности населения по регионам, {0}\u2013{1}: естественный "
     "прирост (слева, официальные данные о рождениях и смертях) и сальдо миграции (справа, оценка "
     "как остаток численности на 1 января), на 1 000 человек среднего населения в год. Регионы в "
     "границах 2009\u20132018 годов, по убыванию сальдо миграции. Данные: таблица ниже.",
     nullptr},
    {"components.col.years", "Years", "Годы", "Жылдар"},
    {"components.col.pop_from", "Population, 1 Jan (first)", "Население на 1 января (начало)",
     nullptr},
    {"components.col.pop_to", "Population, 1 Jan (last)", "Население на 1 января (конец)", nullptr},
    {"components.col.natural", "Natural increase", "Естественный прирост", "Табиғи өсім"},
    {"components.col.net", "Net migration", "Сальдо миграции", "Көші-қон сальдосы"},
    {"components.col.natural_rate", "Natural, per 1,000/yr", "Естеств., на 1 000 в год", nullptr},
    {"components.col.net_rate", "Migration, per 1,000/yr", "Миграция, на 1 000 в год", nullptr},
    {"components.table",
     "Components of population change by region, 1 January {0} to 1 January {1}",
     "Компоненты изменения численности населения по регионам, 1 января {0} \u2014 1 января {1}",
     nullptr},
    {"components.notes",
     "Natural increase = births \u2212 deaths (official). Net migration = population change \u2212 "
     "natural increase (e: estimated, a residual; it includes international migration and "
     "corrections of the count, such as the 2021 census rebasing). Years: the period over which "
     "the region has all three series (South Kazakhstan, now Turkistan and Shymkent, lacks births "
     "and deaths before 2017 in the built-in data). Rates per 1,000 of the mean of the two 1 "
     "January "
     "populations, per year.",
     "Естественный прирост = родившиеся \u2212 умершие (официальные данные). Сальдо миграции = "
     "изменение численности \u2212 естественный прирост (e: оценка, остаток; включает "
     "международную миграцию и поправки численности, например пересчёт по переписи 2021 года). "
     "Годы: период, за который у региона есть все три ряда (для Южно-Казахстанской области, ныне "
     "Туркестанской области и Шымкента, во встроенных данных нет рождений и смертей до 2017 года). "
     "Коэффициенты "
     "на 1 000 человек среднего из двух значений на 1 января, в год.",
     nullptr},
    // ---- section 4: regularities --------------------------------------------------------------
    {"none", "none", "нет", "жоқ"},
    {"per_100", "per 100 residents", "на 100 жителей", nullptr},
    {"gainers.text",
     "Over {0}, the regions gaining most people through migration (relative to their population) "
     "were {1}; those losing most were {2}.",
     "За {0} годы наибольший миграционный прирост населения (относительно его численности) "
     "отмечен в регионах: {1}; наибольшая миграционная убыль — {2}.",
     nullptr},
    {"gainers.col.net", "Net migration, {0}", "Сальдо миграции, {0}", nullptr},
    {"gainers.col.rate", "Per 1,000 per year", "На 1 000 человек в год", nullptr},
    {"gainers.table", "Regions gaining and losing through migration, {0}",
     "Регионы с наибольшим миграционным приростом и убылью населения, {0}", nullptr},
    {"gainers.notes",
     "Net migration: official arrivals minus departures summed over the period. Rate: net per "
     "1,000 average population per year.",
     "Сальдо миграции: официальные данные, число прибывших за вычетом выбывших, сумма за период. "
     "Коэффициент: сальдо на 1 000 человек среднегодовой численности населения в год.",
     nullptr},
    {"reg.source.official",
     "BNS: inter-regional net migration and average population (built-in dataset indicators "
     "net_internal, population_avg)",
     "БНС: межрегиональное сальдо миграции и среднегодовая численность населения (показатели "
     "встроенного набора данных net_internal, population_avg)",
     nullptr},
    {"reg.mark.e",
     "estimated: gravity prior constrained to the official regional nets (model-based)",
     "оценка: гравитационная модель, согласованная с официальными региональными сальдо "
     "(модельный расчёт)",
     nullptr},
    {"reg.plain", "What the numbers say.", "О чём говорят цифры.", nullptr},
    {"reg.sum.anmr",
     "The official regional balances alone show how much these moves redistributed the "
     "population: the aggregate net migration rate (ANMR) was {0} per 100 residents in {1}",
     "Уже официальные региональные сальдо показывают, насколько эти переезды перераспределили "
     "население: совокупный коэффициент сальдо миграции (ANMR) составил {0} на 100 жителей в {1} "
     "году",
     nullptr},
    {"reg.sum.up", ", up from {0} in {1}", " (в {1} году — {0})", nullptr},
    {"reg.sum.down", ", down from {0} in {1}", " (в {1} году — {0})", nullptr},
    {"reg.sum.same", ", as {0} in {1}", ", как и в {1} году", nullptr},
    {"reg.sum.official", " (official). ", " (официальные данные). ", nullptr},
    {"reg.sum.assumed",
     "How many people moved between regions is not published: kazmig's model assumes {0}\u2013{1} "
     "inter-regional movers a year, so the gross intensity (CMP, {2} per 100 residents in {3}) and "
     "the effectiveness (MEI, {4}) are assumptions carried through the model, shown as ranges, not "
     "findings. ",
     "Общее число лиц, переехавших между регионами, не публикуется: модель kazmig предполагает "
     "{0}\u2013{1} межрегиональных мигрантов в год, поэтому валовая интенсивность (CMP, {2} на 100 "
     "жителей в {3} году) и результативность (MEI, {4}) — допущения, проведённые через модель; "
     "они показаны как диапазоны, а не как выводы. ",
     nullptr},
    {"reg.sum.gained",
     "Relative to their population, {0} gained the most people through moves over {1} ({2} per "
     "1,000 residents a year, official)",
     "Относительно численности населения наибольший приток за счёт переездов за {1} годы "
     "получили {0} ({2} на 1 000 жителей в год, официальные данные)",
     nullptr},
    {"reg.sum.lost", "; {0} lost the most ({1} per 1,000)",
     "; наибольшую убыль — {0} ({1} на 1 000)", nullptr},
    {"reg.sum.gini",
     "{0}: the corrected Gini index of all inter-regional flows was {1} (0 = every corridor "
     "carries the same flow, 1 = all moves in one corridor) and the aggregated coefficient of "
     "variation (ACV) {2}. ",
     "{0}: скорректированный индекс Джини всех межрегиональных потоков составил {1} (0 — по всем "
     "направлениям одинаковый поток, 1 — все переезды по одному направлению), агрегированный "
     "коэффициент вариации (ACV) — {2}. ",
     nullptr},
    {"reg.sum.concentrated",
     "Moves are concentrated on a minority of the corridors between regions",
     "Переезды сосредоточены на меньшей части межрегиональных направлений", nullptr},
    {"reg.sum.spread", "Moves are spread over many of the corridors between regions",
     "Переезды распределены по многим межрегиональным направлениям", nullptr},
    {"reg.sum.method",
     "Numbers marked e are model-based estimates, not statistics: kazmig's gravity prior "
     "(regional populations and distances, decay {0}\u2013{1}) scaled to an assumed {2}\u2013{3} "
     "inter-regional movers a year and constrained to the official regional nets; the ranges are "
     "the minimum and maximum over the {4} runs of that grid. Because the gross total is assumed, "
     "the estimated CMP follows that assumption and its change between years is not evidence of a "
     "trend; MEI (= 100 \u00d7 ANMR / CMP) inherits it too. The ANMR and the regional rates are "
     "official.",
     "Числа с пометкой e — модельные оценки, а не статистические данные: гравитационная модель "
     "kazmig (численность населения регионов и расстояния, показатель затухания {0}\u2013{1}), "
     "приведённая к предполагаемым {2}\u2013{3} межрегиональным мигрантам в год и согласованная "
     "с официальными региональными сальдо; диапазоны — минимум и максимум по {4} расчётам этой "
     "сетки. Поскольку валовой итог задан допущением, оценка CMP следует ему, и её изменение "
     "между годами не свидетельствует о тенденции; то же относится к MEI (= 100 \u00d7 ANMR / "
     "CMP). ANMR и региональные коэффициенты — официальные данные.",
     nullptr},
    {"reg.intensity.intro",
     "Intensity: CMP, the inter-regional movers per 100 residents (estimated from the modelled "
     "origin-destination matrix). Impact: ANMR, the net redistribution of population between "
     "regions per 100 residents, computed from the official regional nets. Effectiveness: MEI, the "
     "share of moves that is not offset by a move in the opposite direction (estimated). ANMR = "
     "CMP \u00d7 MEI / 100.",
     "Интенсивность: CMP — число межрегиональных мигрантов на 100 жителей (оценка по модельной "
     "матрице «откуда — куда»). Влияние: ANMR — чистое перераспределение населения между "
     "регионами на 100 жителей, рассчитанное по официальным региональным сальдо. "
     "Результативность: MEI — доля переездов, не уравновешенных переездами в обратном "
     "направлении (оценка). ANMR = CMP \u00d7 MEI / 100.",
     nullptr},
    {"reg.intensity.chart",
     "Inter-regional migration intensity (CMP, estimated) and net impact (ANMR, official), per 100 "
     "residents",
     "Интенсивность межрегиональной миграции (CMP, оценка) и её чистое влияние (ANMR, "
     "официальные данные), на 100 жителей",
     nullptr},
    {"reg.break2024", "2024: internal registration change",
     "2024: изменение регистрации внутренних переездов", nullptr},
    {"reg.cmp.central", "CMP (estimated, central)", "CMP (оценка, центральная)", nullptr},
    {"reg.anmr", "ANMR (official)", "ANMR (официальные данные)", nullptr},
    {"reg.cmp.range", "CMP: range over the assumptions", "CMP: диапазон по допущениям", nullptr},
    {"reg.mei.chart", "Migration effectiveness index (MEI, estimated), per 100 moves",
     "Индекс результативности миграции (MEI, оценка), на 100 переездов", nullptr},
    {"reg.mei.central", "MEI (estimated, central)", "MEI (оценка, центральная)", nullptr},
    {"reg.mei.range", "MEI: range over the assumptions", "MEI: диапазон по допущениям", nullptr},
    {"reg.cmp.low", "CMP low", "CMP, мин.", nullptr},
    {"reg.cmp.high", "CMP high", "CMP, макс.", nullptr},
    {"reg.movers", "Inter-regional movers", "Межрегиональные мигранты", nullptr},
    {"reg.movers.low", "Movers low", "Мигранты, мин.", nullptr},
    {"reg.movers.high", "Movers high", "Мигранты, макс.", nullptr},
    {"reg.mei.low", "MEI low", "MEI, мин.", nullptr},
    {"reg.mei.high", "MEI high", "MEI, макс.", nullptr},
    {"reg.intensity.caption",
     "Net impact of inter-regional migration (ANMR, official, line) and the model's intensity "
     "(CMP, estimated: a bar per year spanning the range over the assumed gross totals and "
     "distance decays, no trend line, because the gross total is assumed, not observed), {0}. The "
     "dashed line marks the 2024 change in the registration of internal moves.",
     "Чистое влияние межрегиональной миграции (ANMR, официальные данные, линия) и модельная "
     "интенсивность (CMP, оценка: столбик за каждый год охватывает диапазон по предполагаемым "
     "валовым итогам и показателям затухания с расстоянием; линии тренда нет, так как валовой итог "
     "задан допущением, а не наблюдается), {0}. Пунктирная линия отмечает изменение регистрации "
     "внутренних переездов в 2024 году.",
     nullptr},
    {"reg.intensity.table", "Data: intensity and net impact per 100 residents (e = estimated)",
     "Данные: интенсивность и чистое влияние на 100 жителей (e — оценка)", nullptr},
    {"reg.mei.caption",
     "Migration effectiveness index (MEI) of the estimated inter-regional matrix, {0}: a bar per "
     "year spanning the range over the assumptions. MEI = 100 \u00d7 ANMR / CMP inherits the "
     "assumed gross total, so its change between years is not evidence of a trend.",
     "Индекс результативности миграции (MEI) оценённой межрегиональной матрицы, {0}: столбик за "
     "каждый год охватывает диапазон по допущениям. MEI = 100 \u00d7 ANMR / CMP зависит от "
     "предполагаемого валового итога, поэтому его изменение между годами не свидетельствует о "
     "тенденции.",
     nullptr},
    {"reg.mei.table", "Data: MEI per 100 moves (e = estimated)",
     "Данные: MEI на 100 переездов (e — оценка)", nullptr},
    {"reg.no_matrix",
     "No estimated inter-regional matrix is available: CMP, MEI, the corridors and the "
     "concentration indicators cannot be shown (only the official ANMR).",
     "Оценённой межрегиональной матрицы нет: CMP, MEI, направления и показатели концентрации "
     "показать нельзя (только официальный ANMR).",
     nullptr},
    {"reg.nets_years",
     "The built-in data have inter-regional nets for {0} only; the longer all-flows balance "
     "(net_all, BNS table 6567) covers 2023\u20132024 and includes international migration, so it "
     "is not used for these inter-regional indicators.",
     "Во встроенных данных межрегиональные сальдо есть только за {0}; сальдо всех потоков "
     "(net_all, таблица БНС 6567) охватывает 2023\u20132024 годы и включает международную "
     "миграцию, поэтому для этих межрегиональных показателей оно не используется.",
     nullptr},
    {"reg.jump2024",
     "Registered internal moves jump by about 48% in 2024 because of a change in registration; "
     "the nets are less affected than arrivals and departures, but compare years with care.",
     "Число зарегистрированных внутренних переездов в 2024 году выросло примерно на 48% из-за "
     "изменения регистрации; сальдо затронуты меньше, чем число прибывших и выбывших, но годы "
     "следует сравнивать с осторожностью.",
     nullptr},
    {"reg.gini", "Gini (corrected)", "Джини (скорр.)", nullptr},
    {"reg.gini.low", "Gini low", "Джини, мин.", nullptr},
    {"reg.gini.high", "Gini high", "Джини, макс.", nullptr},
    {"reg.gini.uncorrected", "Gini (uncorrected)", "Джини (без корр.)", nullptr},
    {"reg.acv.low", "ACV low", "ACV, мин.", nullptr},
    {"reg.acv.high", "ACV high", "ACV, макс.", nullptr},
    {"reg.focus.table", "Spatial focusing of inter-regional migration, {0}",
     "Пространственная концентрация межрегиональной миграции, {0}", nullptr},
    {"reg.focus.notes",
     "Gini: total Gini index of all off-diagonal flows, corrected (Bell et al. 2002) and "
     "uncorrected (Plane & Mulligan 1997); 0 = all corridors equal, 1 = all moves in one corridor. "
     "ACV: aggregated coefficient of variation of the in- and out-flow fields (migration.indices "
     "convention). e = estimated from the model-based matrix; low and high: minimum and maximum "
     "over the sensitivity runs.",
     "Джини: общий индекс Джини всех недиагональных потоков, скорректированный (Bell et al. 2002) "
     "и нескорректированный (Plane & Mulligan 1997); 0 — все направления равны, 1 — все переезды "
     "по одному направлению. ACV: агрегированный коэффициент вариации полей входящих и исходящих "
     "потоков (как в migration.indices). e — оценка по модельной матрице; мин. и макс. — минимум "
     "и максимум по расчётам чувствительности.",
     nullptr},
    // ---- charts and maps (inside the SVG) ------------------------------------------------------
    {"chart.break", "Series break", "Разрыв ряда", nullptr},
    {"chart.preliminary", "Preliminary figures", "Предварительные данные", nullptr},
    {"map.desc",
     "Albers equal-area conic projection, standard parallels 45\u00b0N and 51\u00b0N, central "
     "meridian 67\u00b0E.",
     "Равновеликая коническая проекция Альберса, стандартные параллели 45\u00b0 и 51\u00b0 с. ш., "
     "центральный меридиан 67\u00b0 в. д.",
     nullptr},
    {"map.credit",
     "Albers equal-area conic (45\u00b0N, 51\u00b0N; 67\u00b0E). Boundaries: geokz (A. Rodionov), "
     "CC BY 4.0",
     "Коническая проекция Альберса (45\u00b0 и 51\u00b0 с. ш.; 67\u00b0 в. д.). Границы: geokz "
     "(A. Rodionov), CC BY 4.0",
     nullptr},
    {"source.boundaries",
     "Region boundaries: geokz R package 1.0.2 by A. Rodionov (CC BY 4.0), based on the Bureau of "
     "National Statistics and OCHA COD-AB; simplified by kazmig (topology-preserving "
     "Douglas\u2013Peucker, 1.2 km).",
     "Границы регионов: пакет R geokz 1.0.2, автор A. Rodionov (CC BY 4.0), по данным Бюро "
     "национальной статистики и OCHA COD-AB; упрощены kazmig (алгоритм Дугласа\u2013Пекера с "
     "сохранением топологии, 1,2 км).",
     nullptr},
    {"country.cis", "CIS countries, total", "Страны СНГ, всего", "ТМД елдері, барлығы"},
    {"country.non_cis", "Other countries, total", "Другие страны, всего", "Басқа елдер, барлығы"},

    // ---- section 5: flows ----------------------------------------------------------------------
    {"col.from", "From", "Откуда", "Қайдан"},
    {"col.to", "To", "Куда", "Қайда"},
    {"col.movers_per_year", "Movers per year", "Мигрантов в год", nullptr},
    {"col.movers", "Movers", "Мигранты", nullptr},
    {"col.low", "Low", "Мин.", nullptr},
    {"col.high", "High", "Макс.", nullptr},
    {"col.share_all", "Share of all, %", "Доля в общем числе, %", nullptr},
    {"col.share", "Share, %", "Доля, %", nullptr},
    {"corridors.table", "Largest inter-regional corridors, {0}",
     "Крупнейшие межрегиональные направления, {0}", nullptr},
    {"corridors.notes",
     "e: estimated (model-based): a gravity prior constrained to the official net migration of "
     "each region. Low and high: the smallest and largest value over the sensitivity grid of "
     "distance decay and gross total. These are not official statistics.",
     "e — оценка (модельный расчёт): гравитационная модель, согласованная с официальным сальдо "
     "миграции каждого региона. Мин. и макс. — наименьшее и наибольшее значение по сетке "
     "чувствительности (показатель затухания с расстоянием и валовой итог). Это не официальная "
     "статистика.",
     nullptr},
    {"flows.model_based",
     "The inter-regional origin-destination matrix is model-based: Kazakhstan's statistics publish "
     "only each region's net inter-regional migration. kazmig estimates the flows with a gravity "
     "prior (average population, distance between region centroids) scaled to an assumed number "
     "of movers and constrained to reproduce the official nets exactly (net-constrained IPF; "
     "docs/estimate.md). Only the nets are official; every flow below is an estimate (e), with its "
     "range over the assumptions (distance decay 0.5\u20131.5, 250,000\u2013450,000 movers a "
     "year).",
     "Межрегиональная матрица «откуда — куда» построена по модели: статистика Казахстана "
     "публикует только межрегиональное сальдо миграции каждого региона. kazmig оценивает потоки "
     "гравитационной моделью (среднегодовая численность населения, расстояние между центрами "
     "регионов), приведённой к предполагаемому числу мигрантов и согласованной так, чтобы точно "
     "воспроизводить официальные сальдо (IPF с ограничением по сальдо; docs/estimate.md). "
     "Официальны только сальдо; каждый поток ниже — оценка (e) с диапазоном по допущениям "
     "(показатель затухания 0,5\u20131,5; 250 000\u2013450 000 мигрантов в год).",
     nullptr},
    {"known.text",
     "Known: in {0} the Bureau registered {1} internal moves (arrivals registered in a region, "
     "about {2} million), counting every change of permanent residence within Kazakhstan, moves "
     "between districts of the same region included; the figure is not broken down by the region "
     "of origin. Assumed: the model's inter-regional movers (only moves between regions, spread "
     "over the corridors by the gravity prior) rest on an assumed total, so they are a range, not "
     "a count.",
     "Известно: в {0} году Бюро зарегистрировало {1} внутренних переездов (прибывших, "
     "зарегистрированных в регионе, около {2} млн), включая каждую смену постоянного места "
     "жительства внутри Казахстана, в том числе переезды между районами одного региона; эта "
     "величина не разбита по регионам выбытия. Предполагается: модельные межрегиональные "
     "мигранты (только переезды между регионами, распределённые по направлениям гравитационной "
     "моделью) основаны на предполагаемом итоге, поэтому это диапазон, а не подсчёт.",
     nullptr},
    {"known.col.registered", "Registered internal moves (official, all)",
     "Зарегистрированные внутренние переезды (официальные, все)", nullptr},
    {"known.col.model", "Inter-regional movers (model, central)",
     "Межрегиональные мигранты (модель, центр. оценка)", nullptr},
    {"known.col.low", "Model low", "Модель, мин.", nullptr},
    {"known.col.high", "Model high", "Модель, макс.", nullptr},
    {"known.table", "Registered internal moves and modelled inter-regional movers",
     "Зарегистрированные внутренние переезды и модельные межрегиональные мигранты", nullptr},
    {"known.notes",
     "Registered internal moves: the sum over the regions of the registered arrivals from "
     "elsewhere in Kazakhstan (official; moves within a region between districts included; "
     "registration changed in 2024, when the count rose by about 48%). Inter-regional movers: the "
     "total of the estimated origin-destination matrix (e: model-based), moves between regions "
     "only; low and high over the assumed totals and distance decays. The two count different "
     "things and are not to be subtracted.",
     "Зарегистрированные внутренние переезды: сумма по регионам зарегистрированных прибывших из "
     "других мест Казахстана (официальные данные; включая переезды между районами внутри "
     "региона; в 2024 году регистрация изменилась, и их число выросло примерно на 48%). "
     "Межрегиональные мигранты: итог оценённой матрицы «откуда — куда» (e — модельный расчёт), "
     "только переезды между регионами; мин. и макс. — по предполагаемым итогам и показателям "
     "затухания. Эти величины учитывают разное, и вычитать их друг из друга нельзя.",
     nullptr},
    {"flowmap.title", "Largest estimated inter-regional corridors, {0}",
     "Крупнейшие межрегиональные направления (оценка), {0}", nullptr},
    {"flowmap.legend", "Estimated movers (e), {0}, central estimate",
     "Мигранты (оценка, e), {0}, центральная оценка", nullptr},
    {"flowmap.desc",
     "{0} curved arrows, width proportional to the flow, over the regions in the Albers equal-area "
     "conic projection (45\u00b0N, 51\u00b0N; 67\u00b0E).",
     "{0} изогнутых стрелок, ширина пропорциональна потоку, на карте регионов в равновеликой "
     "конической проекции Альберса (45\u00b0 и 51\u00b0 с. ш.; 67\u00b0 в. д.).",
     nullptr},
    {"flowmap.tooltip", "{0} \u2192 {1}: {2} movers (estimated; range {3}\u2013{4})",
     "{0} \u2192 {1}: {2} мигрантов (оценка; диапазон {3}\u2013{4})", nullptr},
    {"flowmap.credit", "Model-based estimate: only the regional nets are official.",
     "Модельная оценка: официальны только региональные сальдо.", nullptr},
    {"flowmap.caption",
     "Flow map: the 15 largest estimated inter-regional corridors, {0}. Arrow width is "
     "proportional to the central estimate; arrows run from the origin to the destination region "
     "(centroids). Model-based: only the regional nets are official.",
     "Карта потоков: 15 крупнейших межрегиональных направлений (оценка), {0}. Ширина стрелки "
     "пропорциональна центральной оценке; стрелки идут от региона выбытия к региону прибытия "
     "(центры регионов). Модельный расчёт: официальны только региональные сальдо.",
     nullptr},
    {"flowmap.table",
     "Data: Kazakhstan's 15 largest inter-regional corridors, {0} (estimated movers, low\u2013high "
     "range)",
     "Данные: 15 крупнейших межрегиональных направлений Казахстана, {0} (мигранты, оценка, "
     "диапазон мин.\u2013макс.)",
     nullptr},
    {"flowmap.insets",
     "Insets 1\u2013{0} show the areas outlined and numbered on the map at {1} times its scale, "
     "with every arrow that starts or ends there: {2}.",
     "На врезках 1\u2013{0} обведённые и пронумерованные на карте участки показаны в {1} раза "
     "крупнее, со всеми стрелками, которые там начинаются или заканчиваются: {2}.",
     nullptr},
    {"flowmap.inset",
     "The inset shows the area outlined on the map (1) at {0} times its scale, with every arrow "
     "that starts or ends there: {1}.",
     "На врезке обведённый на карте участок (1) показан в {0} раза крупнее, со всеми стрелками, "
     "которые там начинаются или заканчиваются: {1}.",
     nullptr},
    {"flowmap.inset.pair", "{0} and {1}", "{0} и {1}", nullptr},
    {"tops.col.net", "Net, official", "Сальдо, официальные данные", nullptr},
    {"tops.col.arrivals", "Arrivals from other regions", "Прибывшие из других регионов", nullptr},
    {"tops.col.origins", "Top 3 origins", "3 главных региона выбытия", nullptr},
    {"tops.col.departures", "Departures to other regions", "Выбывшие в другие регионы", nullptr},
    {"tops.col.destinations", "Top 3 destinations", "3 главных региона прибытия", nullptr},
    {"tops.table",
     "Largest corridors into and out of each region, {0} (estimated, with the official net)",
     "Крупнейшие направления прибытия в каждый регион и выбытия из него, {0} (оценка, с "
     "официальным сальдо)",
     nullptr},
    {"tops.notes",
     "Net, official: published inter-regional net migration (arrivals minus departures). All other "
     "columns are estimated (e, model-based): the central estimate, and in brackets its range over "
     "the sensitivity grid of distance decay and gross total. Estimated arrivals minus departures "
     "equal the official net.",
     "Сальдо, официальные данные: опубликованное межрегиональное сальдо миграции (прибывшие "
     "минус выбывшие). Все остальные графы — оценки (e, модельный расчёт): центральная оценка и "
     "в скобках её диапазон по сетке чувствительности (показатель затухания и валовой итог). "
     "Оценённые прибывшие минус выбывшие равны официальному сальдо.",
     nullptr},
    {"flows.no_matrix",
     "No estimated inter-regional matrix: the official regional nets of no year are complete.",
     "Оценённой межрегиональной матрицы нет: ни за один год официальные региональные сальдо не "
     "полны.",
     nullptr},
    {"flows.international.intro",
     "The official statistics count people who register a move for permanent residence to or from "
     "Kazakhstan, by partner country (the CIS countries one by one). Abel & Cohen's estimates "
     "cover every country, in 5-year periods, from the UN's migrant stocks: they are model-based "
     "and measure something else (changes of country of residence), so the two are shown side by "
     "side, not combined.",
     "Официальная статистика учитывает лиц, зарегистрировавших переезд на постоянное место "
     "жительства в Казахстан или из Казахстана, по странам-партнёрам (страны СНГ — по "
     "отдельности). Оценки Abel & Cohen охватывают все страны по пятилетним периодам и построены "
     "по данным ООН о численности мигрантов: это модельные расчёты, и они измеряют другое (смену "
     "страны проживания), поэтому оба источника показаны рядом, а не объединены.",
     nullptr},
    {"partners.missing", "Official international migration by partner country is not loaded.",
     "Официальные данные о международной миграции по странам-партнёрам не загружены.", nullptr},
    {"partners.col.country", "Partner country", "Страна-партнёр", nullptr},
    {"partners.arrivals", "Arrivals in Kazakhstan", "Прибывшие в Казахстан", nullptr},
    {"partners.departures", "Departures from Kazakhstan", "Выбывшие из Казахстана", nullptr},
    {"partners.table", "International migration by partner country, {0} (official)",
     "Международная миграция по странам-партнёрам, {0} (официальные данные)", nullptr},
    {"partners.notes",
     "Official statistics of migration for permanent residence (CIS-Stat and the Bureau of "
     "National Statistics), by country of previous or next residence; the CIS statistics give the "
     "CIS countries one by one and the rest as one total.",
     "Официальная статистика миграции на постоянное место жительства (Статкомитет СНГ и Бюро "
     "национальной статистики) по стране прежнего или будущего проживания; статистика СНГ "
     "приводит страны СНГ по отдельности, а остальные — одним итогом.",
     nullptr},
    {"partners.chart.arrivals", "Arrivals in Kazakhstan by partner country, {0}\u2013{1}",
     "Прибывшие в Казахстан по странам-партнёрам, {0}\u2013{1}", nullptr},
    {"partners.chart.departures", "Departures from Kazakhstan by partner country, {0}\u2013{1}",
     "Выбывшие из Казахстана по странам-партнёрам, {0}\u2013{1}", nullptr},
    {"partners.caption.arrivals",
     "Arrivals in Kazakhstan by partner country, {0}\u2013{1}: the {2} largest partners of "
     "arrivals over the period ({3}) and all non-CIS countries together (official). Data: the "
     "table beside.",
     "Прибывшие в Казахстан по странам-партнёрам, {0}\u2013{1}: {2} крупнейших партнёра по "
     "прибытию за период ({3}) и все страны вне СНГ вместе (официальные данные). Данные: таблица "
     "рядом.",
     nullptr},
    {"partners.caption.departures",
     "Departures from Kazakhstan by partner country, {0}\u2013{1}: the {2} largest partners of "
     "departures over the period ({3}) and all non-CIS countries together (official). Data: the "
     "table beside.",
     "Выбывшие из Казахстана по странам-партнёрам, {0}\u2013{1}: {2} крупнейших партнёра по "
     "выбытию за период ({3}) и все страны вне СНГ вместе (официальные данные). Данные: таблица "
     "рядом.",
     nullptr},
    {"partners.data", "Data: persons", "Данные: человек", nullptr},
    {"abel.missing", "Abel & Cohen's estimated international flows are not loaded.",
     "Оценки международных потоков Abel & Cohen не загружены.", nullptr},
    {"abel.col.partner", "Partner", "Партнёр", nullptr},
    {"abel.col.direction", "Direction", "Направление", nullptr},
    {"abel.in", "to Kazakhstan", "в Казахстан", nullptr},
    {"abel.out", "from Kazakhstan", "из Казахстана", nullptr},
    {"abel.table",
     "Estimated international flows of Kazakhstan's main corridors, {0} to {1} (Abel & Cohen, "
     "5-year periods)",
     "Оценки международных потоков по основным направлениям Казахстана, с {0} по {1} (Abel & "
     "Cohen, пятилетние периоды)",
     nullptr},
    {"abel.notes",
     "e: estimated by Abel & Cohen (2019) from the UN DESA bilateral migrant stocks "
     "(pseudo-Bayesian closed demographic accounting, method da_pb_closed): people who changed "
     "their country of residence in each 5-year period, not registrations. Partners: the largest "
     "totals over all periods.",
     "e — оценка Abel & Cohen (2019) по двусторонним данным ДЭСВ ООН о численности мигрантов "
     "(псевдобайесовский замкнутый демографический баланс, метод da_pb_closed): лица, сменившие "
     "страну проживания за каждый пятилетний период, а не регистрации. Партнёры — с наибольшими "
     "итогами за все периоды.",
     nullptr},
    // ---- section 6: factors
    // ----------------------------------------------------------------------
    {"range.to", "{0} to {1}", "от {0} до {1}", nullptr},
    {"factors.intro",
     "What goes with more or less migration, estimated from official statistics with fixed "
     "effects: each region compared with itself over time, each year with itself across regions. "
     "Every number in this section is an estimate (e), with its 95% interval; the factors are "
     "associations, not proven causes.",
     "С чем связана более или менее интенсивная миграция — оценка по официальной статистике с "
     "фиксированными эффектами: каждый регион сравнивается сам с собой во времени, каждый год — "
     "сам с собой по регионам. Все числа в этом разделе — оценки (e) с 95-процентными "
     "интервалами; факторы показывают взаимосвязи, а не доказанные причины.",
     nullptr},
    {"factors.no_gravity",
     "The inter-regional origin-destination matrix of the built-in data is itself modelled from "
     "distance and population, so no gravity model is fitted to it.",
     "Межрегиональная матрица «откуда — куда» встроенных данных сама построена по расстоянию и "
     "численности населения, поэтому гравитационная модель к ней не подбирается.",
     nullptr},
    {"factors.plot.regional", "Regional balance: effect per 1,000 residents a year",
     "Региональное сальдо: эффект на 1 000 жителей в год", nullptr},
    {"factors.plot.regional.unit", "change in the migration balance per 1,000 residents a year",
     "изменение сальдо миграции на 1 000 жителей в год", nullptr},
    {"factors.plot.gross", "Gross internal flows and migrant networks: effect, %",
     "Валовые внутренние потоки и миграционные сети: эффект, %", nullptr},
    {"factors.plot.gross.unit", "% change in the flow", "изменение потока, %", nullptr},
    {"factors.plot.cis", "CIS partners: each year compared with the first, %",
     "Партнёры из СНГ: каждый год по сравнению с первым, %", nullptr},
    {"factors.plot.cis.unit", "% difference from the first year", "отличие от первого года, %",
     nullptr},
    {"factors.plot.desc", "Estimated effects with 95% intervals",
     "Оценки эффектов с 95-процентными интервалами", nullptr},
    {"factors.plot.value", "{0}e ({1} to {2})", "{0}e (от {1} до {2})", nullptr},
    {"factors.plot.not_identified", "not identified", "не идентифицируется", nullptr},
    {"factors.plot.tooltip", "estimated; 95% interval", "оценка; 95-процентный интервал", nullptr},
    {"factors.plot.caption",
     "{0}: estimates (dots) and 95% intervals (lines); a hollow dot: the interval includes zero. "
     "Data: the table below.",
     "{0}: оценки (точки) и 95-процентные интервалы (линии); полая точка — интервал включает "
     "ноль. Данные: таблица ниже.",
     nullptr},
    {"factors.col.model", "Model", "Модель", nullptr},
    {"factors.col.factor", "Factor", "Фактор", nullptr},
    {"factors.col.change", "Change", "Изменение", nullptr},
    {"factors.col.effect", "Effect", "Эффект", nullptr},
    {"factors.col.interval", "95% interval", "95-процентный интервал", nullptr},
    {"factors.col.n", "Observations", "Наблюдения", nullptr},
    {"factors.col.plain", "In plain words", "Простыми словами", nullptr},
    {"factors.interval.pct", "{0} to {1} %", "от {0} до {1} %", nullptr},
    {"factors.interval.rate", "{0} to {1} per 1,000", "от {0} до {1} на 1 000", nullptr},
    {"factors.table", "Factors of migration in plain words", "Факторы миграции простыми словами",
     nullptr},
    {"factors.table.notes",
     "e: estimated (fixed-effects regression on official statistics; the specification is in the "
     "source). Effects are for the change shown, other things equal.",
     "e — оценка (регрессия с фиксированными эффектами по официальной статистике; спецификация "
     "приведена в источнике). Эффекты даны для указанного изменения при прочих равных условиях.",
     nullptr},
    {"factors.model.regional", "Regional balance", "Региональное сальдо", nullptr},
    {"factors.model.gross-arrivals", "Internal arrivals", "Прибывшие внутри страны", nullptr},
    {"factors.model.gross-departures", "Internal departures", "Выбывшие внутри страны", nullptr},
    {"factors.model.international-network", "Migrant networks", "Миграционные сети", nullptr},
    {"factors.model.cis-arrivals", "Arrivals from CIS", "Прибывшие из СНГ", nullptr},
    {"factors.model.cis-departures", "Departures to CIS", "Выбывшие в СНГ", nullptr},
    {"factors.year_vs", "{0} (vs {1})", "{0} (к {1})", nullptr},
    {"factors.label.year", "year {0}", "{0} год", nullptr},
    {"factors.label.log_rel_income",
     "per-capita income relative to the national level (year before)",
     "среднедушевой доход относительно среднего по стране (предыдущий год)", nullptr},
    {"factors.label.unemployment", "unemployment rate, % (year before)",
     "уровень безработицы, % (предыдущий год)", nullptr},
    {"factors.label.housing_per_1000", "housing commissioned, m² per 1,000 residents (year before)",
     "ввод в действие жилья, м² на 1 000 жителей (предыдущий год)", nullptr},
    {"factors.label.log_grp_per_capita", "GRP per capita (year before)",
     "ВРП на душу населения (предыдущий год)", nullptr},
    {"factors.label.log_stock", "diaspora stock at the start of the period (log)",
     "численность диаспоры на начало периода (логарифм)", nullptr},
    {"factors.change.log_rel_income", "+10%", "+10%", nullptr},
    {"factors.change.unemployment", "+1 point", "+1 п. п.", nullptr},
    {"factors.change.housing_per_1000", "+100 m² per 1,000", "+100 м² на 1 000", nullptr},
    {"factors.change.log_grp_per_capita", "+10%", "+10%", nullptr},
    {"factors.change.log_stock", "+10%", "+10%", nullptr},
    {"factors.short.log_rel_income", "Relative income", "Относительный доход", nullptr},
    {"factors.short.unemployment", "Unemployment", "Безработица", nullptr},
    {"factors.short.housing_per_1000", "Housing", "Ввод жилья", nullptr},
    {"factors.short.log_grp_per_capita", "GRP per capita", "ВРП на душу населения", nullptr},
    {"factors.short.log_stock", "Diaspora", "Диаспора", nullptr},
    {"factors.pw.not_identified", "The effect of {0} is not identified in this sample.",
     "Влияние фактора «{0}» в этой выборке не идентифицируется.", nullptr},
    {"factors.pw.subject.log_rel_income",
     "Regions whose per-capita income was 10% higher relative to the national level (the year "
     "before)",
     "В регионах, где среднедушевой доход относительно среднего по стране был на 10% выше (в "
     "предыдущем году),",
     nullptr},
    {"factors.pw.subject.unemployment",
     "Regions whose unemployment rate was 1 percentage point higher (the year before)",
     "В регионах, где уровень безработицы был на 1 процентный пункт выше (в предыдущем году),",
     nullptr},
    {"factors.pw.subject.housing_per_1000",
     "Regions that commissioned 100 m² more housing per 1,000 residents (the year before)",
     "В регионах, где на 1 000 жителей было введено на 100 м² жилья больше (в предыдущем году),",
     nullptr},
    {"factors.pw.subject.log_grp_per_capita",
     "Regions whose GRP per capita was 10% higher (the year before)",
     "В регионах, где ВРП на душу населения был на 10% выше (в предыдущем году),", nullptr},
    {"factors.pw.subject.log_stock",
     "A corridor whose diaspora (people born in the origin country living in the destination "
     "country) was 10% larger at the start of a five-year period",
     "По направлению, где диаспора (уроженцы страны выбытия, живущие в стране прибытия) на "
     "начало пятилетнего периода была на 10% больше,",
     nullptr},
    {"factors.pw.subject.cis-arrivals",
     "Arrivals from CIS partner countries in {0} (compared with {1})",
     "Число прибывших из стран СНГ в {0} году (по сравнению с {1} годом)", nullptr},
    {"factors.pw.subject.cis-departures",
     "Departures to CIS partner countries in {0} (compared with {1})",
     "Число выбывших в страны СНГ в {0} году (по сравнению с {1} годом)", nullptr},
    {"factors.pw.noun.regional", "the migration balance per 1,000 residents a year",
     "сальдо миграции на 1 000 жителей в год было", nullptr},
    {"factors.pw.noun.gross-arrivals", "registered arrivals per resident",
     "число зарегистрированных прибывших на одного жителя было", nullptr},
    {"factors.pw.noun.gross-departures", "registered departures per resident",
     "число зарегистрированных выбывших на одного жителя было", nullptr},
    {"factors.pw.noun.international-network", "the flow over the period",
     "поток мигрантов за период был", nullptr},
    {"factors.pw.noun.cis-arrivals", "arrivals", "было", nullptr},
    {"factors.pw.noun.cis-departures", "departures", "было", nullptr},
    {"factors.pw.higher", "higher", "выше", nullptr},
    {"factors.pw.lower", "lower", "ниже", nullptr},
    {"factors.pw.higher.count", "higher", "больше", nullptr},
    {"factors.pw.lower.count", "lower", "меньше", nullptr},
    {"factors.pw.held.other", "other things equal", "при прочих равных условиях", nullptr},
    {"factors.pw.held.network",
     "other things equal (the origin's and destination's conditions in the period and the "
     "corridor's usual level held fixed)",
     "при прочих равных условиях (условия в стране выбытия и в стране прибытия за период и "
     "обычный уровень потока по направлению неизменны)",
     nullptr},
    {"factors.pw.held.cis", "with the partner mix held fixed",
     "при неизменном составе стран-партнёров", nullptr},
    {"factors.pw.clear", "{0}: {1} on average {2} ({3}) {4}, {5}.",
     "{0} {1} в среднем на {2} ({3}) {4}, {5}.", nullptr},
    {"factors.pw.unclear",
     "{0}: {1} on average {2} {3} (95% interval: {4} to {5}), {6}; the interval includes zero, so "
     "the data do not establish the direction.",
     "{0} {1} в среднем на {2} {3} (95-процентный интервал: от {4} до {5}), {6}; интервал "
     "включает ноль, поэтому данные не позволяют установить направление связи.",
     nullptr},
    {"factors.spec.regional",
     "{0}: migration balance per 1,000 residents (average population); OLS with region and year "
     "fixed effects (within estimator); standard errors clustered by region; {1} observations "
     "({2}); units: the 16 regions at the 2009 borders.",
     "{0}: сальдо миграции на 1 000 жителей (среднегодовая численность населения); "
     "метод наименьших квадратов с фиксированными эффектами региона и года (внутригрупповая "
     "оценка); стандартные ошибки кластеризованы по регионам; наблюдений: {1} ({2}); единицы — "
     "16 регионов в границах 2009 года (позднее выделенные регионы объединены обратно). Не "
     "идентифицируется всё, что постоянно в регионе (расстояние до Астаны или Алматы, климат, "
     "этнический состав) или одинаково для всех регионов в данном году (общенациональные "
     "зарплаты, курс валюты, уровень международной миграции): оценки получены по отклонениям от "
     "собственного среднего каждого региона и среднего каждого года. Факторы — взаимосвязи, а не "
     "причинные эффекты (мигранты сами влияют на безработицу и спрос на жильё).",
     nullptr},
    {"factors.spec.gross-arrivals",
     "{0}: registered internal arrivals (persons), exposure: average population; PPML with region "
     "and year fixed effects; standard errors clustered by region; {1} observations ({2}).",
     "{0}: зарегистрированные внутренние прибывшие (человек), экспозиция — среднегодовая "
     "численность населения; PPML с фиксированными эффектами региона и года (логарифм "
     "среднегодовой численности населения как смещение); стандартные ошибки кластеризованы по "
     "регионам; наблюдений: {1} ({2}); единицы — 16 регионов в границах 2009 года. Прибывшие "
     "включают переезды между районами внутри региона. Не идентифицируется всё, что постоянно в "
     "регионе или одинаково для всех регионов в данном году; факторы — взаимосвязи, а не "
     "причинные эффекты.",
     nullptr},
    {"factors.spec.gross-departures",
     "{0}: registered internal departures (persons), exposure: average population; PPML with "
     "region and year fixed effects; standard errors clustered by region; {1} observations ({2}).",
     "{0}: зарегистрированные внутренние выбывшие (человек), экспозиция — среднегодовая "
     "численность населения; PPML с фиксированными эффектами региона и года (логарифм "
     "среднегодовой численности населения как смещение); стандартные ошибки кластеризованы по "
     "регионам; наблюдений: {1} ({2}); единицы — 16 регионов в границах 2009 года. Выбывшие "
     "включают переезды между районами внутри региона. Не идентифицируется всё, что постоянно в "
     "регионе или одинаково для всех регионов в данном году; факторы — взаимосвязи, а не "
     "причинные эффекты.",
     nullptr},
    {"factors.spec.international-network",
     "{0}: Abel & Cohen (2019) 5-year bilateral flows (estimated); PPML with origin \u00d7 period, "
     "destination \u00d7 period and pair fixed effects; standard errors clustered by pair; {1} "
     "observations ({2}).",
     "{0}: пятилетние двусторонние потоки Abel & Cohen (2019) (оценка), нулевые потоки "
     "включены; PPML с фиксированными эффектами «страна выбытия × период», «страна прибытия × "
     "период» и пары стран; стандартные ошибки кластеризованы по парам; наблюдений: {1} ({2}). Не "
     "идентифицируется всё, что постоянно для пары стран (расстояние, язык, общая история), и "
     "всё, что относится к стране в данном периоде: эластичность получена по изменению диаспоры "
     "по направлению во времени. Потоки Abel & Cohen сами оценены по изменению этих же данных "
     "ООН о численности мигрантов, поэтому это взаимосвязь внутри оценок, а не измеренный "
     "сетевой эффект.",
     nullptr},
    {"factors.spec.cis-arrivals",
     "{0}: official arrivals for permanent residence by partner (persons); PPML with partner fixed "
     "effects; heteroskedasticity-robust standard errors (HC1); {1} observations ({2}).",
     "{0}: официальные данные о прибывших на постоянное место жительства по странам-партнёрам "
     "(человек); PPML с фиксированными эффектами страны-партнёра (годы — как переменные); "
     "стандартные ошибки, устойчивые к гетероскедастичности (HC1): партнёров слишком мало для "
     "кластеризации; наблюдений: {1} ({2}). Эффекты года объединяют всё общее для партнёров в "
     "данном году (экономика Казахстана, мобилизация в России в 2022 году, изменения правил).",
     nullptr},
    {"factors.spec.cis-departures",
     "{0}: official departures for permanent residence by partner (persons); PPML with partner "
     "fixed effects; heteroskedasticity-robust standard errors (HC1); {1} observations ({2}).",
     "{0}: официальные данные о выбывших на постоянное место жительства по странам-партнёрам "
     "(человек); PPML с фиксированными эффектами страны-партнёра (годы — как переменные); "
     "стандартные ошибки, устойчивые к гетероскедастичности (HC1): партнёров слишком мало для "
     "кластеризации; наблюдений: {1} ({2}). Эффекты года объединяют всё общее для партнёров в "
     "данном году (экономика Казахстана, мобилизация в России в 2022 году, изменения правил).",
     nullptr},
    {"factors.spec.notes_en", "Technical notes of the model (in English):",
     "Технические примечания к модели (на английском языке):", nullptr},
    {"factors.source.abel",
     "Abel, G. J. and Cohen, J. E. (2019), bilateral flow estimates (da_pb_closed), Scientific "
     "Data 6:82; UN DESA International Migrant Stock 2020",
     "Abel, G. J. and Cohen, J. E. (2019), оценки двусторонних потоков (da_pb_closed), "
     "Scientific Data 6:82; ДЭСВ ООН, International Migrant Stock 2020",
     nullptr},
    {"factors.net.to", "To Kazakhstan", "В Казахстан", nullptr},
    {"factors.net.from", "From Kazakhstan", "Из Казахстана", nullptr},
    {"factors.net.model", "Network model", "Сетевая модель", nullptr},
    {"factors.net.stock_in", "Partner-born in Kazakhstan", "Уроженцы страны-партнёра в Казахстане",
     nullptr},
    {"factors.net.stock_out", "Kazakhstan-born there", "Уроженцы Казахстана в стране-партнёре",
     nullptr},
    {"factors.net.table",
     "Kazakhstan's largest corridors {0}: Abel & Cohen's estimated flows and the migrant-network "
     "model's fitted values",
     "Крупнейшие направления Казахстана, {0}: оценки потоков Abel & Cohen и расчётные значения "
     "модели миграционных сетей",
     nullptr},
    {"factors.net.notes",
     "e: estimated. The flows are Abel & Cohen's estimates (not official statistics); the model's "
     "values are its fit with origin \u00d7 period, destination \u00d7 period and pair effects and "
     "the diaspora at the period start (UN DESA stocks).",
     "e — оценка. Потоки — оценки Abel & Cohen (не официальная статистика); значения модели — её "
     "расчёт с эффектами «страна выбытия \u00d7 период», «страна прибытия \u00d7 период» и пары "
     "стран и диаспорой на начало периода (данные ДЭСВ ООН).",
     nullptr},

    // ---- section 7: potential ----------------------------------------------------------------
    {"potential.default_scenario",
     "+20% per-capita income in the northern regions; unemployment in Turkistan down 2 points",
     "рост среднедушевого дохода в северных регионах на 20%; снижение безработицы в "
     "Туркестанской области на 2 процентных пункта",
     nullptr},
    {"potential.intro",
     "One scenario, predicted from the regional factor model without refitting: {0}. The map "
     "shows the predicted change of each region's migration balance per 1,000 residents a year "
     "(estimated, e), the table the same with 95% intervals from the coefficient covariance "
     "(delta method) and in persons.",
     "Один сценарий, рассчитанный по региональной факторной модели без повторной оценки: {0}. "
     "На карте — прогнозируемое изменение сальдо миграции каждого региона на 1 000 жителей в год "
     "(оценка, e), в таблице — то же с 95-процентными интервалами по ковариации коэффициентов "
     "(дельта-метод) и в числе человек.",
     nullptr},
    {"potential.map", "Predicted change of the migration balance per 1,000 residents a year",
     "Прогнозируемое изменение сальдо миграции на 1 000 жителей в год", nullptr},
    {"potential.legend", "Change in net migration per 1,000 a year (estimated)",
     "Изменение сальдо миграции на 1 000 человек в год (оценка)", nullptr},
    {"potential.col.changes", "Change in factors", "Изменение факторов", nullptr},
    {"potential.col.rate", "Net per 1,000", "Сальдо на 1 000", nullptr},
    {"potential.col.persons", "Net, persons", "Сальдо, человек", nullptr},
    {"potential.tooltip", "estimated: {0} per 1,000 ({1} to {2})",
     "оценка: {0} на 1 000 (от {1} до {2})", nullptr},
    {"potential.kz", "Kazakhstan (sum of the regions)", "Казахстан (сумма регионов)",
     "Қазақстан (өңірлер сомасы)"},
    {"potential.word.income", "income", "доход", nullptr},
    {"potential.word.unemployment", "unemployment", "безработица", nullptr},
    {"potential.word.housing", "housing", "ввод жилья", nullptr},
    {"potential.word.grp", "grp", "ВРП", nullptr},
    {"potential.word.points", "points", "п. п.", nullptr},
    {"potential.word.m2_per_1000", "m2_per_1000", "м² на 1 000", nullptr},
    {"potential.caption",
     "Predicted change of the migration balance per 1,000 residents a year under the scenario, by "
     "region (2022 borders; estimated). Data: the table below.",
     "Прогнозируемое изменение сальдо миграции на 1 000 жителей в год по сценарию, по регионам "
     "(границы 2022 года; оценка). Данные: таблица ниже.",
     nullptr},
    {"potential.table", "Predicted change of the migration balance under the scenario",
     "Прогнозируемое изменение сальдо миграции по сценарию", nullptr},
    {"potential.notes",
     "e: estimated (counterfactual prediction from the regional factor model; 95% intervals by the "
     "delta method). Changes need not sum to zero: the model has no national constraint.",
     "e — оценка (контрфактический прогноз по региональной факторной модели; 95-процентные "
     "интервалы — дельта-методом). Сумма изменений не обязана равняться нулю: в модели нет "
     "общенационального ограничения.",
     nullptr},
    {"potential.note.units",
     "The regional model was fitted at kz-2009 units; its coefficients (per 1,000 residents) are "
     "applied to each kz-2022 region's changes; population of {0}, income of {1} (national mean "
     "recomputed: relative income falls a little wherever income is unchanged), housing of {2}.",
     "Региональная модель оценена по единицам kz-2009; её коэффициенты (на 1 000 жителей) "
     "применены к изменениям каждого региона kz-2022; численность населения — за {0} год, доход "
     "— за {1} год (среднее по стране пересчитано: относительный доход немного снижается там, "
     "где доход не меняется), ввод жилья — за {2} год.",
     nullptr},
    {"potential.note.sum",
     "Predicted changes of the regional balances need not sum to zero: the model has no national "
     "constraint, and before 2022 its outcome includes international migration.",
     "Сумма прогнозируемых изменений региональных сальдо не обязана равняться нулю: в модели нет "
     "общенационального ограничения, а до 2022 года её зависимая переменная включает "
     "международную миграцию.",
     nullptr},
    {"potential.note.flows",
     "Arrivals and departures change relative to {0} registered moves (which include moves inside "
     "a region, and the 2024 registration jump); the two models are fitted separately, so their "
     "intervals are not joint.",
     "Прибывшие и выбывшие изменяются относительно зарегистрированных переездов {0} года "
     "(включающих переезды внутри региона и скачок регистрации 2024 года); две модели оценены "
     "раздельно, поэтому их интервалы не являются совместными.",
     nullptr},
    // ---- section 8: risks ----------------------------------------------------------------------
    {"yes", "yes", "да", "иә"},
    {"no", "no", "нет", "жоқ"},
    {"risk.source.bns", "Bureau of National Statistics of Kazakhstan (stat.gov.kz)",
     "Бюро национальной статистики Казахстана (stat.gov.kz)", nullptr},
    {"risk.source.handbook",
     "OECD/JRC (2008), Handbook on Constructing Composite Indicators: Methodology and User Guide; "
     "Saisana, Saltelli & Tarantola (2005), uncertainty and sensitivity analysis of composite "
     "indicators",
     "OECD/JRC (2008), Handbook on Constructing Composite Indicators: Methodology and User Guide "
     "(руководство по построению композитных индикаторов); Saisana, Saltelli & Tarantola (2005), "
     "анализ неопределённости и чувствительности композитных индикаторов",
     nullptr},
    {"risk.intro",
     "A composite migration-risk index for {0}: {1} components ({2}), each normalised across the "
     "regions ({3}, oriented so that a higher value means more risk), weighted equally unless "
     "stated and aggregated {4}. Rank 1 is the highest risk. A Monte Carlo analysis of {5} draws "
     "varies the normalisation, the weights (Dirichlet around the chosen ones), the aggregation "
     "and leaves one component out in turn; each region gets its median rank and 5\u201395% band. "
     "The method is the OECD/JRC handbook's; kazmig risk --format json prints every number below.",
     "Композитный индекс миграционного риска за {0} год: {1} компонентов ({2}), каждый "
     "нормирован по регионам ({3}; ориентирован так, что большее значение означает больший "
     "риск), веса равные, если не указано иное, агрегирование — {4}. Ранг 1 — наибольший риск. "
     "Анализ методом Монте-Карло ({5} розыгрышей) варьирует нормирование, веса (распределение "
     "Дирихле вокруг выбранных), способ агрегирования и поочерёдно исключает по одному "
     "компоненту; для каждого региона получены медианный ранг и интервал 5\u201395%. Метод — по "
     "руководству OECD/JRC; все числа ниже выводит команда kazmig risk --format json.",
     nullptr},
    {"risk.norm.minmax", "minmax", "мин-макс", nullptr},
    {"risk.norm.zscore", "zscore", "z-оценки", nullptr},
    {"risk.agg.linear", "linear", "линейное", nullptr},
    {"risk.agg.geometric", "geometric", "геометрическое", nullptr},
    {"risk.component.net_migration_rate_1y", "net_migration_rate_1y", "сальдо миграции за год",
     nullptr},
    {"risk.component.net_migration_rate_5y", "net_migration_rate_5y", "сальдо миграции за 5 лет",
     nullptr},
    {"risk.component.natural_increase", "natural_increase", "естественный прирост", nullptr},
    {"risk.component.population_change", "population_change", "изменение численности", nullptr},
    {"risk.component.unemployment", "unemployment", "безработица", nullptr},
    {"risk.component.income_relative", "income_relative", "относительный доход", nullptr},
    {"risk.component.departures_rate", "departures_rate", "коэффициент выбытия", nullptr},
    {"risk.component.net_loss_share", "net_loss_share", "доля в убыли", nullptr},
    {"risk.component.arrivals_per_housing", "arrivals_per_housing",
     "прибывшие на 1 000 м² введённого жилья", nullptr},
    {"risk.component.net_migration_volatility", "net_migration_volatility",
     "изменчивость сальдо миграции", nullptr},
    {"risk.unit.per 1,000", "per 1,000", "на 1 000", nullptr},
    {"risk.unit.per 1,000 a year", "per 1,000 a year", "на 1 000 в год", nullptr},
    {"risk.unit.%", "%", "%", nullptr},
    {"risk.unit.% of national", "% of national", "% от среднего", nullptr},
    {"risk.unit.% of national net losses", "% of national net losses", "% убыли по стране",
     nullptr},
    {"risk.unit.arrivals per 1,000 m2 commissioned", "arrivals per 1,000 m2 commissioned",
     "прибывших на 1 000 м² введённого жилья", nullptr},
    {"risk.unit.ratio", "ratio", "отношение", nullptr},
    {"risk.missing",
     "Not in the index for {0} (their inputs are not in the built-in data for that year): {1}. "
     "Nothing is imputed except single regional gaps, each listed with its method.",
     "Не вошли в индекс за {0} год (их исходных данных за этот год нет во встроенном наборе): "
     "{1}. Ничего не досчитывается, кроме единичных пропусков по регионам, каждый из которых "
     "указан вместе со способом заполнения.",
     nullptr},
    {"risk.map", "Migration-risk index, {0}", "Индекс миграционного риска, {0}", nullptr},
    {"risk.map.legend",
     "Mean score minus the region's score, {0} (red, negative: more risk than the average region)",
     "Средний балл минус балл региона, {0} (красный, отрицательное значение: риск выше, чем в "
     "среднем по регионам)",
     nullptr},
    {"risk.map.tooltip", "score {0}, rank {1} (band {2})", "балл {0}, ранг {1} (интервал {2})",
     nullptr},
    {"risk.map.caption", "Migration-risk index by region, {0}",
     "Индекс миграционного риска по регионам, {0}", nullptr},
    {"risk.chart.title", "Migration-risk score and rank band by region, {0}",
     "Балл миграционного риска и интервал ранга по регионам, {0}", nullptr},
    {"risk.chart.score", "Score (higher = more risk)", "Балл (больше — выше риск)", nullptr},
    {"risk.chart.rank", "Rank: 5\u201395% band, median \u25cf, index |",
     "Ранг: интервал 5\u201395%, медиана \u25cf, индекс |", nullptr},
    {"risk.row.tooltip", "{0}: score {1}, rank {2}, median rank {3}, 5\u201395% band {4}{5}",
     "{0}: балл {1}, ранг {2}, медианный ранг {3}, интервал 5\u201395% {4}{5}", nullptr},
    {"risk.robust.mark", " (robust)", " (устойчивый)", nullptr},
    {"risk.col.rank", "Rank", "Ранг", nullptr},
    {"risk.col.score", "Score", "Балл", nullptr},
    {"risk.col.median", "Median rank", "Медианный ранг", nullptr},
    {"risk.col.band", "5\u201395% band", "Интервал 5\u201395%", nullptr},
    {"risk.col.robust", "Robust", "Устойчивый", nullptr},
    {"risk.ranking.caption",
     "Regions ranked by migration risk, {0}, with the 5\u201395% band of their rank over the "
     "sensitivity analysis",
     "Регионы по уровню миграционного риска, {0}, с интервалом ранга 5\u201395% по анализу "
     "чувствительности",
     nullptr},
    {"risk.ranking.table", "Ranks and bands", "Ранги и интервалы", nullptr},
    {"risk.robust.none",
     "No region's rank is robust: every band spans more than two ranks, so the ranking depends on "
     "the choices of method.",
     "Ни у одного региона ранг не устойчив: каждый интервал шире двух рангов, поэтому порядок "
     "регионов зависит от выбора метода.",
     nullptr},
    {"risk.robust.some",
     "Robust ranks (the 5\u201395% band spans at most two ranks): {0}. The other ranks depend on "
     "the choices of method and should be read as ranges.",
     "Устойчивые ранги (интервал 5\u201395% не шире двух рангов): {0}. Остальные ранги зависят "
     "от выбора метода, их следует читать как диапазоны.",
     nullptr},
    {"risk.components.notes",
     "Each cell: the component's value in its unit and, in brackets, its normalised value (1 = the "
     "most risk among the regions under min-max). Direction +: a higher value means more risk; -: "
     "less. e: the component includes an estimated or imputed value.",
     "В каждой ячейке — значение компонента в его единицах и в скобках нормированное значение "
     "(1 — наибольший риск среди регионов при нормировании мин-макс). Направление +: большее "
     "значение означает больший риск; -: меньший. e — компонент включает оценённое или "
     "досчитанное значение.",
     nullptr},
    {"risk.imputed", "{0} of region {1} in {2} is its {3} value (imputed).",
     "{0} региона {1} за {2} год взят по значению {3} года (досчитано).", nullptr},
    {"risk.components.table", "Risk components by region, {0}", "Компоненты риска по регионам, {0}",
     nullptr},
    {"risk.flags.none", "Early warnings: no rule fires in {0}.",
     "Ранние предупреждения: в {0} году ни одно правило не сработало.", nullptr},
    {"risk.flags.intro",
     "Early warnings in {0} (rules of docs/risk.md; each names the years and values behind it). "
     "Registered internal moves jump by about 48% in 2024 (a registration change), which raises "
     "departure rates everywhere:",
     "Ранние предупреждения за {0} год (правила docs/risk.md; для каждого указаны годы и "
     "значения). Число зарегистрированных внутренних переездов в 2024 году выросло примерно на "
     "48% (изменение регистрации), что повышает коэффициенты выбытия во всех регионах:",
     nullptr},
    {"risk.rule.net_outflow_3y",
     "net migration of at most \u22125 per 1,000 in every year of {0}: {1}",
     "сальдо миграции не выше \u22125 на 1 000 в каждом году периода {0}: {1}", nullptr},
    {"risk.rule.population_decline_3y",
     "population change of at most \u22125 per 1,000 in every year of {0}: {1}",
     "изменение численности населения не выше \u22125 на 1 000 в каждом году периода {0}: {1}",
     nullptr},
    {"risk.rule.departures_top_quintile_rising",
     "departure rate in the top quintile of risk and rising in every year of {0}: {1}",
     "коэффициент выбытия в верхнем квинтиле риска и растёт в каждом году периода {0}: {1}",
     nullptr},
    {"risk.rule.unemployment_top_quintile_rising",
     "unemployment in the top quintile of risk and rising in every year of {0}: {1}",
     "уровень безработицы в верхнем квинтиле риска и растёт в каждом году периода {0}: {1}",
     nullptr},
    // ---- section 9: prospects ----------------------------------------------------------------
    {"prospects.source.bns",
     "BNS: population on 1 January (table 6584), births and deaths (tables 6548, 6550), migration "
     "balance (6567), internal migration by region",
     "БНС: численность населения на 1 января (таблица 6584), родившиеся и умершие (таблицы 6548, "
     "6550), сальдо миграции (6567), внутренняя миграция по регионам",
     nullptr},
    {"prospects.source.model",
     "kazmig project: components-of-change projection of regional totals; Bayesian AR(1) net "
     "migration (Azose & Raftery 2015, bayesMig)",
     "kazmig project: прогноз численности населения регионов методом компонент; байесовская "
     "модель AR(1) сальдо миграции (Azose & Raftery 2015, bayesMig)",
     nullptr},
    {"prospects.intro",
     "How many people will live in each region by {0} if trends continue, and what would policy "
     "change? kazmig projects the population of the {1} regions from 1 January {2} by the "
     "components of change: births and deaths (random walks with drift on each region's log "
     "rates), inter-regional net migration (a Bayesian hierarchical AR(1) model of the net rates, "
     "balanced to zero over the regions in every draw) and international net migration (a "
     "national AR(1) model, shared out by population). {3} draws give the median and the 80% and "
     "95% intervals; every scenario uses the same draws, so the difference from the baseline is "
     "the scenario's own effect.",
     "Сколько человек будет жить в каждом регионе к {0} году при сохранении тенденций и что "
     "изменила бы политика? kazmig прогнозирует численность населения {1} регионов от 1 января "
     "{2} года методом компонент: рождаемость и смертность (случайное блуждание со сносом "
     "логарифмов коэффициентов каждого региона), межрегиональное сальдо миграции (байесовская "
     "иерархическая модель AR(1) коэффициентов сальдо, в каждом розыгрыше уравновешенная до нуля "
     "по регионам) и сальдо международной миграции (общенациональная модель AR(1), распределённая "
     "пропорционально численности населения). {3} розыгрышей дают медиану и 80- и "
     "95-процентные интервалы; все сценарии используют одни и те же розыгрыши, поэтому отличие "
     "от базового сценария — собственный эффект сценария.",
     nullptr},
    {"prospects.data",
     "The regional data are totals, not ages: population on 1 January (to 2023; 2024 and 2025 by "
     "accounting from births, deaths and the all-flows net), births and deaths by region at three "
     "boundary vintages (brought to the 2022 borders by population weights), official "
     "inter-regional nets only for 2022\u20132024. Earlier inter-regional nets are estimated as "
     "the residual of the accounting less the region's share of the national international net. "
     "The projections are therefore of totals and say nothing about ages.",
     "Региональные данные — итоги, без возрастной структуры: численность населения на 1 января "
     "(по 2023 год; 2024 и 2025 годы — балансовым методом по родившимся, умершим и сальдо всех "
     "потоков), родившиеся и умершие по регионам в трёх редакциях границ (приведены к границам "
     "2022 года по численности населения), официальные межрегиональные сальдо только за "
     "2022\u20132024 годы. Более ранние межрегиональные сальдо оценены как остаток баланса за "
     "вычетом доли региона в общенациональном сальдо международной миграции. Поэтому прогнозы "
     "относятся к итогам и ничего не говорят о возрастах.",
     nullptr},
    {"prospects.unavailable",
     "The projections could not be computed:", "Прогнозы не удалось рассчитать:", nullptr},
    {"prospects.kazakhstan", "Kazakhstan", "Казахстан", "Қазақстан"},
    {"prospects.fan.title", "Projected population of {0}, {1}\u2013{2}",
     "Прогноз численности населения: {0}, {1}\u2013{2}", nullptr},
    {"prospects.fan.unit", "persons on 1 January", "человек на 1 января", nullptr},
    {"prospects.band95", "baseline: 95% interval", "базовый: 95-процентный интервал", nullptr},
    {"prospects.band80", "baseline: 80% interval", "базовый: 80-процентный интервал", nullptr},
    {"prospects.median", "{0} (median)", "{0} (медиана)", nullptr},
    {"prospects.col.median", "Median", "Медиана", nullptr},
    {"prospects.col.i80", "80% interval", "80-процентный интервал", nullptr},
    {"prospects.col.i95", "95% interval", "95-процентный интервал", nullptr},
    {"prospects.fan.caption",
     "Projected population of {0} (1 January), baseline median with its 80% and 95% intervals "
     "(shaded), and the median of each scenario. Base year {1}{2}.",
     "Прогноз численности населения: {0} (на 1 января), медиана базового сценария с 80- и "
     "95-процентными интервалами (заливка) и медиана каждого сценария. Базовый год {1}{2}.",
     nullptr},
    {"prospects.fan.reconstructed", " (base population reconstructed by accounting)",
     " (численность базового года восстановлена балансовым методом)", nullptr},
    {"prospects.fan.data", "Data: {0}, baseline", "Данные: {0}, базовый сценарий", nullptr},
    {"prospects.map", "{0}: change {1}\u2013{2}, %", "{0}: изменение {1}\u2013{2}, %", nullptr},
    {"prospects.maps.caption",
     "Change of each region's population from 1 January {0} to 1 January {1} (median, %), under "
     "each scenario.",
     "Изменение численности населения каждого региона с 1 января {0} по 1 января {1} года "
     "(медиана, %) по каждому сценарию.",
     nullptr},
    {"prospects.maps.data", "Data: change by scenario, %", "Данные: изменение по сценариям, %",
     nullptr},
    {"prospects.col.base", "{0} (base)", "{0} (база)", nullptr},
    {"prospects.col.baseline", "Baseline {0}", "Базовый сценарий, {0}", nullptr},
    {"prospects.col.diff", "{0}: difference [95%]", "{0}: разница [95%]", nullptr},
    {"prospects.compare.table",
     "Scenarios compared: population on 1 January {0} and each scenario's difference from the "
     "baseline (median and 95% interval of the per-draw difference)",
     "Сравнение сценариев: численность населения на 1 января {0} года и отличие каждого "
     "сценария от базового (медиана и 95-процентный интервал разницы по розыгрышам)",
     nullptr},
    {"prospects.compare.notes",
     "Share of the country in {0}: {1}. Scenario files: data/scenarios/ (docs/projection.md). "
     "Each region's risk score under a scenario: kazmig compare (column risk_score) and kazmig "
     "risk --scenario NAME (docs/risk.md).",
     "Доля в населении страны в {0} году: {1}. Файлы сценариев: data/scenarios/ "
     "(docs/projection.md). Балл риска каждого региона по сценарию: kazmig compare (столбец "
     "risk_score) и kazmig risk --scenario ИМЯ (docs/risk.md).",
     nullptr},
    {"prospects.bt.regions", "Regions scored", "Оценено регионов", nullptr},
    {"prospects.bt.c80", "80% coverage", "Покрытие 80%", nullptr},
    {"prospects.bt.c95", "95% coverage", "Покрытие 95%", nullptr},
    {"prospects.bt.all", "all", "все", nullptr},
    {"prospects.bt.model.kazmig", "kazmig", "kazmig", nullptr},
    {"prospects.bt.model.constant-rate", "constant-rate", "постоянный темп", nullptr},
    {"prospects.bt.model.linear-trend", "linear-trend", "линейный тренд", nullptr},
    {"prospects.bt.table",
     "Backtest: fitted to 1 January {0}, projected to {1} and scored against the official "
     "population (mean absolute percentage error of the median; share of official values inside "
     "the intervals, %)",
     "Ретроспективная проверка: модель оценена по 1 января {0} года, прогноз до {1} года "
     "сопоставлен с официальной численностью населения (средняя абсолютная процентная ошибка "
     "медианы; доля официальных значений внутри интервалов, %)",
     nullptr},
    {"prospects.bt.notes",
     "Benchmarks: constant-rate keeps each region's mean growth rate of the 5 years before the "
     "base; linear-trend extends a least-squares line through the 10 years up to it (no "
     "intervals). Years are scored at the boundaries the Bureau published for them.",
     "Эталоны: «постоянный темп» сохраняет средний темп роста каждого региона за 5 лет до "
     "базового года; «линейный тренд» продолжает прямую, подобранную методом наименьших "
     "квадратов по 10 годам до него (без интервалов). Годы оцениваются в тех границах, в которых "
     "их опубликовало Бюро.",
     nullptr},
    {"prospects.bt.unavailable", "The backtest could not be computed:",
     "Ретроспективную проверку не удалось рассчитать:", nullptr},
    {"prospects.note.base_estimated",
     "The regional population on 1 January {0} is not published: it is the 1 January {1} "
     "population plus the official births, deaths and all-flows net migration (net_all) of the "
     "years between.",
     "Численность населения регионов на 1 января {0} года не опубликована: это численность на 1 "
     "января {1} года плюс официальные числа родившихся, умерших и сальдо всей миграции (net_all) "
     "за прошедшие годы.",
     nullptr},
    {"prospects.note.bounded",
     "{0} simulated rates were held at their bounds (deaths at most 100 per 1,000; net migration "
     "within ±150 per 1,000).",
     "Смоделированных коэффициентов, удержанных на границах (смертность не выше 100 ‰, сальдо "
     "миграции в пределах ±150 ‰): {0}.",
     nullptr},
    {"scenario.baseline", "baseline", "базовый", nullptr},
    {"scenario.emigration-shock", "emigration-shock", "всплеск эмиграции", nullptr},
    {"scenario.kandas-inflow", "kandas-inflow", "приток кандасов", nullptr},
    {"scenario.relocant-inflow", "relocant-inflow", "приток релокантов", nullptr},
    {"scenario.resettlement-quota", "resettlement-quota", "квота переселения", nullptr},
    {"scenario.urban-pull", "urban-pull", "притяжение городов", nullptr},
    {"group.NORTH", "north",
     "северные регионы (Акмолинская, Абайская, Восточно-Казахстанская, "
     "Костанайская, Северо-Казахстанская, Павлодарская)",
     nullptr},
    {"group.SOUTH", "labour-surplus", "трудоизбыточные южные регионы", nullptr},
    {"group.CITIES", "cities", "три города (Астана, Алматы, Шымкент)", nullptr},
    {"group.KZ", "Kazakhstan", "Казахстан", "Қазақстан"},
    {"group.short.NORTH", "north", "север", nullptr},
    {"group.short.SOUTH", "south", "юг", nullptr},
    {"group.short.CITIES", "cities", "города", nullptr},

    // ---- section 10: policy ----------------------------------------------------------------
    {"policy.intro",
     "Kazakhstan's migration policy is a sequence of dated measures: laws, policy concepts, "
     "programmes of resettlement to the north, entry rules, and shocks from outside. The register "
     "below lists them with the regions each affects; the report's time-series charts mark them "
     "with dotted verticals. Each measure's effect is then measured with the standard designs of "
     "policy evaluation, and each result says whether the design is credible here: a number from "
     "a design that fails its checks is shown as a description, not as evidence of an effect.",
     "Миграционная политика Казахстана — последовательность датированных мер: законы, концепции "
     "миграционной политики, программы переселения на север, правила въезда и внешние "
     "потрясения. В реестре ниже они приведены вместе с затрагиваемыми регионами; на графиках "
     "временных рядов они отмечены пунктирными вертикалями. Эффект каждой меры затем измерен "
     "стандартными методами оценки политики, и для каждого результата указано, надёжен ли метод "
     "в данном случае: число, полученное методом, не прошедшим проверки, приводится как описание, "
     "а не как свидетельство эффекта.",
     nullptr},
    {"policy.quoted_en",
     "The provenance notes and the sources are quoted in English, as the data record them; the "
     "titles of the register and the scenario descriptions are translated (a title of an edited "
     "register is quoted in English).",
     "Примечания о происхождении данных и источники приводятся на английском языке, как они "
     "записаны в данных; названия мер реестра и описания сценариев переведены (название из "
     "изменённого реестра приводится на английском языке).",
     nullptr},
    {"policy.source.register",
     "Register of migration-policy measures: legal acts (adilet.zan.kz, online.zakon.kz) and press "
     "reports, collected in kz_policy_labour/policy_measures.csv",
     "Реестр мер миграционной политики: нормативные правовые акты (adilet.zan.kz, "
     "online.zakon.kz) и сообщения прессы, собранные в kz_policy_labour/policy_measures.csv",
     nullptr},
    {"policy.col.date", "Date", "Дата", nullptr},
    {"policy.col.measure", "Measure", "Мера", nullptr},
    {"policy.col.kind", "Kind", "Вид", nullptr},
    {"policy.col.regions", "Regions", "Регионы", nullptr},
    {"policy.col.source", "Source", "Источник", nullptr},
    {"policy.not_given", "not given", "не указан", nullptr},
    {"policy.kind.law", "law", "закон", nullptr},
    {"policy.kind.concept", "concept", "концепция", nullptr},
    {"policy.kind.entry-rule", "entry-rule", "правило въезда", nullptr},
    {"policy.kind.external-shock", "external-shock", "внешнее потрясение", nullptr},
    {"policy.kind.programme", "programme", "программа", nullptr},
    {"policy.kind.boundary", "boundary", "изменение границ", nullptr},
    {"policy.regions.all", "all", "все", nullptr},
    {"policy.timeline", "Timeline of migration-policy measures",
     "Хронология мер миграционной политики", nullptr},
    {"policy.timeline.notes", "Regions are kz-2022 codes; 'all' means the whole country.",
     "Регионы — коды kz-2022; «все» — вся страна.", nullptr},
    {"policy.method.its", "interrupted time series", "прерванный временной ряд", nullptr},
    {"policy.method.did", "difference-in-differences", "разность разностей", nullptr},
    {"policy.method.synth", "synthetic control", "синтетический контроль", nullptr},
    {"policy.col.design", "Design", "Метод", nullptr},
    {"policy.col.outcome", "Outcome", "Показатель", nullptr},
    {"policy.col.from", "From", "С", nullptr},
    {"policy.col.estimate", "Estimate", "Оценка", nullptr},
    {"policy.col.prepost", "Pre / post", "До / после", nullptr},
    {"policy.col.pretrend", "Pre-trend p", "p предварительного тренда", nullptr},
    {"policy.col.placebo", "Placebo p", "p плацебо", nullptr},
    {"policy.col.credible", "Credible", "Надёжен", nullptr},
    {"policy.outcome.the residual net migration rate", "the residual net migration rate",
     "коэффициент сальдо миграции (остаточный)", nullptr},
    {"policy.outcome.the inter-regional net migration rate",
     "the inter-regional net migration rate", "коэффициент межрегионального сальдо миграции",
     nullptr},
    {"policy.outcome.international net migration", "international net migration",
     "сальдо международной миграции", nullptr},
    {"policy.unit.per 1,000", "per 1,000", "на 1 000", nullptr},
    {"policy.unit.persons", "persons", "человек", nullptr},
    {"policy.unit.%", "%", "%", nullptr},
    {"policy.unit.% of labour force", "% of labour force", "% рабочей силы", nullptr},
    {"policy.unit.% of quota", "% of quota", "% квоты", nullptr},
    {"policy.effects.notes",
     "ITS: segmented regression with Newey\u2013West errors; DiD: two-way fixed effects clustered "
     "by region, pre-trend test = joint test of the event-study leads; synthetic control: donor "
     "weights on the simplex, placebo p from the RMSPE ratios. Series and units: ",
     "Прерванный временной ряд: сегментная регрессия с ошибками Ньюи\u2013Уэста; разность "
     "разностей: двусторонние фиксированные эффекты с кластеризацией по регионам, проверка "
     "предварительного тренда — совместный тест опережающих членов; синтетический контроль: веса "
     "доноров на симплексе, p плацебо по отношениям RMSPE. Ряды и единицы: ",
     nullptr},
    {"policy.effects.table", "Measured effects of policy measures, with their diagnostics",
     "Измеренные эффекты мер политики и их диагностика", nullptr},
    {"policy.chart", "{0}: {1} by {2}", "{0}: {1}, метод: {2}", nullptr},
    {"policy.observed", "Observed (treated)", "Наблюдаемое (затронутые)", nullptr},
    {"policy.counterfactual", "Without the measure (counterfactual)", "Без меры (контрфактическое)",
     nullptr},
    {"policy.chart.caption", "{0} and the counterfactual of the {1} design.",
     "{0} и контрфактическая траектория по методу «{1}».", nullptr},
    {"policy.paths", "Observed and counterfactual, by year",
     "Наблюдаемое и контрфактическое значение по годам", nullptr},
    {"policy.paths.year", "Year", "Год", nullptr},
    {"policy.paths.observed", "Observed", "Наблюдаемое", nullptr},
    {"policy.paths.counterfactual", "Counterfactual", "Контрфактическое", nullptr},
    {"policy.units", "Units of the design:", "Единицы, по которым построена оценка:", nullptr},
    {"regions.valid.all", "all", "все", "барлығы"},
    {"meta.data.builtin", "Kazakhstan: built-in dataset (data/kz, see SOURCES.md); loaded {0}",
     "Казахстан: встроенный набор данных (data/kz, см. SOURCES.md); загружен {0}", nullptr},
    {"policy.credible", "The design passes its checks.", "Метод проходит проверки.", nullptr},
    {"policy.not_credible", "Not credible.", "Ненадёжно.", nullptr},
    {"policy.reason", "Why not credible:", "Причина ненадёжности:", nullptr},
    {"policy.credible.short", "credible", "надёжно", nullptr},
    {"policy.not_credible.short", "not credible", "ненадёжно", nullptr},
    {"policy.not_evaluated", "not evaluated", "не оценивалась", nullptr},
    {"policy.projected", "{0} in {1}, {2}", "{0}: {1}, {2}", nullptr},
    {"policy.col.scenario", "Scenario", "Сценарий", nullptr},
    {"policy.col.assumes", "Assumes", "Допущение", nullptr},
    {"policy.col.measures", "Measures in the register", "Меры в реестре", nullptr},
    {"policy.col.assumed", "Assumed yearly change", "Предполагаемое годовое изменение", nullptr},
    {"policy.col.projected", "Projected effect (vs baseline)", "Прогнозируемый эффект (к базовому)",
     nullptr},
    {"policy.col.measured", "Measured effect of the measure", "Измеренный эффект меры", nullptr},
    {"policy.source.scenarios",
     "kazmig's projection scenarios (data/scenarios/*.json: description, measures, target) and the "
     "projections of the section on prospects",
     "Сценарии прогноза kazmig (data/scenarios/*.json: описание, меры, целевая строка) и прогнозы "
     "раздела о перспективах",
     nullptr},
    {"policy.options.table", "Policy options in the projections and the measures behind them",
     "Варианты политики в прогнозах и стоящие за ними меры", nullptr},
    {"policy.options.notes",
     "Projected effect: the scenario's population minus the baseline's on its target row (a group "
     "of regions or the country), median of the paired draws with its 95% interval (projected, "
     "estimated). Measured effect: the register measure's evaluated effect from the table above "
     "(estimated), with its credibility. The mapping from scenario to measures is the scenario "
     "file's \"measures\" field.",
     "Прогнозируемый эффект: численность населения по сценарию минус по базовому сценарию в его "
     "целевой строке (группа регионов или страна), медиана парных розыгрышей с 95-процентным "
     "интервалом (прогноз, оценка). Измеренный эффект: оценённый эффект меры из реестра по "
     "таблице выше (оценка) с указанием надёжности. Соответствие сценариев мерам задаётся полем "
     "«measures» файла сценария.",
     nullptr},
    {"policy.col.indicator", "Indicator", "Показатель", nullptr},
    {"policy.col.value", "Value", "Значение", nullptr},
    {"policy.col.unit", "Unit", "Единица", nullptr},
    {"policy.source.labour",
     "Ministry of Labour and Social Protection figures on foreign labour, kandas and resettlement "
     "quotas, as reported (kz_policy_labour)",
     "Данные Министерства труда и социальной защиты населения об иностранной рабочей силе, "
     "кандасах и квотах переселения, по сообщениям (kz_policy_labour)",
     nullptr},
    {"policy.labour.table", "Labour migration, repatriation (kandas) and resettlement quotas",
     "Трудовая миграция, репатриация (кандасы) и квоты переселения", nullptr},
    {"policy.labour.notes",
     "Figures reported by the Ministry or the press citing it, not BNS tables. Quota utilisation = "
     "foreign workers holding permits on one date of the year divided by the year's quota "
     "(estimated).",
     "Данные, сообщённые Министерством или прессой со ссылкой на него, а не таблицы БНС. "
     "Использование квоты = число иностранных работников с разрешениями на одну дату года, "
     "делённое на квоту года (оценка).",
     nullptr},
    {"policy.col.period", "Period", "Период", nullptr},
    {"policy.col.flow", "Flow", "Поток", nullptr},
    {"policy.col.group", "Group", "Группа", nullptr},
    {"policy.col.persons", "Persons", "Человек", nullptr},
    {"policy.col.share", "Share %", "Доля, %", nullptr},
    {"policy.flow.departures", "departures", "выбывшие", nullptr},
    {"policy.flow.arrivals", "arrivals", "прибывшие", nullptr},
    {"policy.group.Russian", "Russian", "русские", nullptr},
    {"policy.group.Ukrainian", "Ukrainian", "украинцы", nullptr},
    {"policy.group.German", "German", "немцы", nullptr},
    {"policy.group.Kazakh", "Kazakh", "казахи", nullptr},
    {"policy.group.Tatar", "Tatar", "татары", nullptr},
    {"policy.group.Karakalpak", "Karakalpak", "каракалпаки", nullptr},
    {"policy.group.Uzbek", "Uzbek", "узбеки", nullptr},
    {"policy.group.Belarusian", "Belarusian", "белорусы", nullptr},
    {"policy.source.ethnic",
     "Departures and arrivals by ethnic group as reported by the press citing the Bureau of "
     "National Statistics (kz_policy_labour/emigration_by_ethnicity.csv; the store compositions "
     "intl_departures_by_ethnicity and intl_arrivals_by_ethnicity)",
     "Выбывшие и прибывшие по национальности по сообщениям прессы со ссылкой на Бюро "
     "национальной статистики (kz_policy_labour/emigration_by_ethnicity.csv; структуры "
     "intl_departures_by_ethnicity и intl_arrivals_by_ethnicity)",
     nullptr},
    {"policy.ethnic.table", "Ethnic composition of international migration flows",
     "Национальный состав потоков международной миграции", nullptr},
    {"policy.ethnic.notes",
     "Counts for 2019 and shares for January-July 2013, as reported; the groups shown are the ones "
     "the source names (not a complete breakdown).",
     "Численность за 2019 год и доли за январь\u2013июль 2013 года, как сообщалось; показаны "
     "группы, которые называет источник (не полная разбивка).",
     nullptr},
    {"meta.language.ru",
     "Russian; the provenance notes of reported figures and the sources are quoted in English, as "
     "they are recorded in the data",
     "русский; примечания о происхождении сообщённых данных и источники приводятся на английском "
     "языке, как они записаны в данных",
     nullptr},

    // ---- section 10: the evaluation sentences, phrased from the results (policy_section.cc) -----
    {"policy.says", "From {0} on, {1} {2} was {3} {4} {5} (95% interval {6} to {7}).",
     "Начиная с {0} года показатель «{1}» {2} был на {3} {4}, {5} (95-процентный доверительный "
     "интервал: от {6} до {7}).",
     nullptr},
    {"policy.says.higher", "higher", "выше", nullptr},
    {"policy.outcome.residual_net_rate", "residual_net_rate",
     "коэффициент сальдо миграции (остаточный)", nullptr},
    {"policy.outcome.net_internal_rate", "net_internal_rate",
     "коэффициент межрегионального сальдо миграции", nullptr},
    {"policy.outcome.intl_net", "intl_net", "сальдо международной миграции", nullptr},
    {"policy.says.lower", "lower", "ниже", nullptr},
    {"policy.than.its", "than the trend before the measure would suggest",
     "чем можно было ожидать по тренду до введения меры", nullptr},
    {"policy.than.did", "than in the unaffected regions, relative to before the measure",
     "чем в незатронутых регионах, с учётом различий до введения меры", nullptr},
    {"policy.than.synth",
     "than in a weighted mix of unaffected regions that tracked it before the measure",
     "чем во взвешенной комбинации незатронутых регионов, воспроизводившей его динамику до "
     "введения меры",
     nullptr},
    {"policy.where.country", "in Kazakhstan", "в Казахстане", nullptr},
    {"policy.where.all_regions", "across the regions", "в среднем по регионам", nullptr},
    {"policy.where.region", "in {0}", "в регионе «{0}»", nullptr},
    {"policy.where.regions", "in the {0} affected regions", "в {0} затронутых мерой регионах",
     nullptr},
    {"policy.amount.per 1,000", "{0} per 1,000", "{0} ‰", nullptr},
    {"policy.amount.persons", "{0} persons", "{0} человек", nullptr},
    {"policy.says.excludes_zero",
     "The interval excludes zero: the change is unlikely to be chance.",
     "Интервал не включает ноль: изменение вряд ли случайно.", nullptr},
    {"policy.says.includes_zero",
     "The interval includes zero: the data cannot tell the change from chance.",
     "Интервал включает ноль: по этим данным изменение нельзя отличить от случайного колебания.",
     nullptr},
    {"policy.says.not_credible",
     "This is not credible evidence of an effect: {0}; read the number as a description, not as "
     "the measure's effect.",
     "Это не является надёжным свидетельством эффекта: {0}; число следует читать как описание, "
     "а не как эффект меры.",
     nullptr},
    {"policy.says.none", "No estimate: {0}.", "Оценки нет: {0}.", nullptr},
    {"policy.why.few_pre",
     "only {0} {1} (at least 3 are needed to see the trend before the measure)",
     "только {0} {1} до введения меры (чтобы увидеть тренд до меры, нужно не менее трёх)", nullptr},
    {"policy.why.no_pre",
     "the measure's first period {0} is not after the first period of the series ({1}): there is "
     "no pre-period to compare with",
     "первый период действия меры ({0}) не позже первого периода ряда ({1}): нет периода до "
     "введения меры для сравнения",
     nullptr},
    {"policy.why.no_post",
     "the measure's first period {0} is after the last period of the series ({1}): there is no "
     "post-period to measure",
     "первый период действия меры ({0}) позже последнего периода ряда ({1}): нет периода после "
     "введения меры, по которому можно измерить эффект",
     nullptr},
    {"policy.why.its_underdetermined",
     "{0} periods cannot fit the {1} coefficients of the segmented regression",
     "числа периодов ({0}) недостаточно для оценки коэффициентов сегментной регрессии ({1})",
     nullptr},
    {"policy.why.its_singular", "the segmented regression is singular (collinear: {0})",
     "матрица сегментной регрессии вырождена (коллинеарны: {0})", nullptr},
    {"policy.why.national_did",
     "a national measure: every region is affected, so no untreated region can show what would "
     "have happened without it (use --method its)",
     "мера общенациональная: она затрагивает все регионы, и нет незатронутого региона, который "
     "показал бы, что было бы без неё (нужен метод прерванного временного ряда)",
     nullptr},
    {"policy.why.national_synth",
     "a national measure: every region is affected, so there is no donor region to build a "
     "synthetic control from (use --method its)",
     "мера общенациональная: она затрагивает все регионы, и нет регионов-доноров для построения "
     "синтетического контроля (нужен метод прерванного временного ряда)",
     nullptr},
    {"policy.why.all_treated",
     "every region of the panel is treated: no untreated region to compare with (use --method "
     "its)",
     "мера затрагивает все регионы панели: не с чем сравнивать (нужен метод прерванного "
     "временного ряда)",
     nullptr},
    {"policy.why.did_collinear", "the treatment indicator is collinear with the fixed effects",
     "индикатор воздействия коллинеарен фиксированным эффектам", nullptr},
    {"policy.why.few_donors",
     "{0} untreated region(s): a synthetic control needs at least 2 donors",
     "незатронутых регионов: {0}; для синтетического контроля нужно не менее двух доноров",
     nullptr},
    {"policy.why.pretrend",
     "failed pre-trend test: before the measure the treated and untreated regions already moved "
     "differently (joint test of the leads p = {0} < {1})",
     "не пройдена проверка параллельности трендов: ещё до введения меры затронутые и "
     "незатронутые регионы менялись по-разному (совместный тест опережающих членов: p = {0} < "
     "{1})",
     nullptr},
    {"policy.why.poor_fit",
     "poor pre-period fit: the synthetic control misses the treated series by {0} on average "
     "(RMSPE) before the measure, more than {1} of its year-to-year spread ({2}); no mix of the "
     "untreated regions reproduces it",
     "плохая подгонка до введения меры: синтетический контроль отклоняется от ряда затронутых "
     "регионов в среднем на {0} (RMSPE), что превышает {1} стандартного отклонения этого ряда до "
     "меры ({2}); никакая комбинация незатронутых регионов его не воспроизводит",
     nullptr},
    {"policy.design_units.national", "Kazakhstan (national)", "Казахстан (национальный ряд)",
     nullptr},
    {"policy.design_units",
     "{0} of the 16 kz-2009 units (later units merged into them, counts added)",
     "{0} из 16 единиц kz-2009 (позднее образованные единицы объединены с ними, численности "
     "сложены)",
     nullptr},
    {"policy.design_units.sum",
     "Kazakhstan: the sum over {0} of the 16 kz-2009 units (later units merged into them, counts "
     "added)",
     "Казахстан: сумма по {0} из 16 единиц kz-2009 (позднее образованные единицы объединены с "
     "ними, численности сложены)",
     nullptr},
    {"policy.design_units.gaps", "; the others have gaps", "; в рядах остальных есть пропуски",
     nullptr},
    {"policy.gap", "{0}: {1} ({2}) left out: its series has a gap in {3}-{4}",
     "{0}: регион «{1}» ({2}) не включён: в его ряду есть пропуски за {3}\u2013{4} гг.", nullptr},
    {"policy.assumed.none", "none (trends continue)", "нет (тренды сохраняются)", nullptr},
    {"policy.assumed.transfer", "{0} persons a year moved between regions, {1}-{2}",
     "{0} человек в год перемещаются между регионами, {1}\u2013{2} гг.", nullptr},
    {"policy.assumed.international", "international net {0} persons a year, {1}-{2}",
     "сальдо международной миграции {0} человек в год, {1}\u2013{2} гг.", nullptr},
    {"policy.assumed.urban", "cities' inter-regional gains {0}% above trend, {1}-{2}",
     "межрегиональный прирост трёх городов на {0}% выше тренда, {1}\u2013{2} гг.", nullptr},
    {"policy.option.baseline",
     "The baseline assumes no policy change; it is the reference for the others.",
     "Базовый сценарий не предполагает изменений политики; он служит точкой отсчёта для "
     "остальных.",
     nullptr},
    {"policy.option.assumes", "The scenario assumes {0}", "Сценарий предполагает: {0}", nullptr},
    {"policy.option.moves",
     "; by {0} it moves {1}'s population by {2} (95% {3} to {4}, projected, estimated)",
     "; к {0} году он изменяет численность населения ({1}) на {2} (95%: от {3} до {4}; прогноз, "
     "оценка)",
     nullptr},
    {"policy.option.no_measure", "No measure in the register corresponds to it.",
     "Ни одна мера реестра ему не соответствует.", nullptr},
    {"policy.option.effect",
     "{0}'s measured effect ({1}, estimated){2} ({3} {4}, 95% {5} to {6}{7}).",
     "Измеренный эффект меры {0} ({1}, оценка) {2} ({3} {4}, 95%: от {5} до {6}{7}).", nullptr},
    {"policy.option.effect.no_evidence",
     " comes from a design that fails its checks, so it is no evidence",
     "получен методом, не прошедшим проверки, и не служит свидетельством", nullptr},
    {"policy.option.effect.zero", " so far cannot be told from zero",
     "пока нельзя отличить от нуля", nullptr},
    {"policy.option.effect.nonzero", " is distinguishable from zero", "отличим от нуля", nullptr},
    {"policy.option.not_evaluated",
     "The register's measure(s) have no evaluated effect in this report.",
     "Для мер реестра, стоящих за сценарием, в этом докладе нет оценённого эффекта.", nullptr},
    // ---- the register's measure titles in Russian (policy_section.cc uses one only while its
    // English text equals the register's title, so an edited register is quoted, not mistranslated)
    {"measure.title.law-477-iv",
     "Law of the Republic of Kazakhstan No. 477-IV \"On population migration\" (in force, "
     "amended)",
     "Закон Республики Казахстан № 477-IV «О миграции населения» (действует, с изменениями)",
     nullptr},
    {"measure.title.concept-2007-2015",
     "Concept of migration policy 2007-2015 (Presidential Decree No. 399)",
     "Концепция миграционной политики на 2007–2015 годы (Указ Президента № 399)", nullptr},
    {"measure.title.concept-2017-2021",
     "Concept of migration policy 2017-2021 (Government Resolution No. 602)",
     "Концепция миграционной политики на 2017–2021 годы (постановление Правительства № 602)",
     nullptr},
    {"measure.title.concept-2023-2027",
     "Concept of migration policy 2023-2027 (Government Resolution No. 961): seven "
     "directions incl. educational and business immigration and skilled labour",
     "Концепция миграционной политики на 2023–2027 годы (постановление Правительства № "
     "961): семь направлений, включая образовательную и бизнес-иммиграцию и привлечение "
     "квалифицированной рабочей силы",
     nullptr},
    {"measure.title.shymkent-city-2018",
     "Shymkent made a city of republican significance; South Kazakhstan region renamed "
     "Turkistan region",
     "Шымкенту присвоен статус города республиканского значения; Южно-Казахстанская "
     "область переименована в Туркестанскую",
     nullptr},
    {"measure.title.regions-2022",
     "Abai, Jetisu and Ulytau regions formed from East Kazakhstan, Almaty and Karaganda "
     "regions",
     "Абайская, Жетысуская и Улытауская области образованы из Восточно-Казахстанской, "
     "Алматинской и Карагандинской областей",
     nullptr},
    {"measure.title.russia-mobilisation-2022",
     "Russia's partial mobilisation: over 400k Russian citizens entered by late November "
     "2022; about 100k-150k stayed",
     "Частичная мобилизация в России: к концу ноября 2022 года въехали более 400 тыс. "
     "граждан России, остались около 100–150 тыс.",
     nullptr},
    {"measure.title.eaeu-90-180-2023",
     "EAEU citizens may stay at most 90 days in any 180; leaving and re-entering no longer "
     "resets the count",
     "Граждане ЕАЭС могут находиться не более 90 дней из любых 180; выезд и повторный "
     "въезд больше не обнуляют срок",
     nullptr},
    {"measure.title.residence-permit-rules-2023",
     "Residence permit requires a passport valid at least 180 days and the property "
     "owner's consent",
     "Для вида на жительство нужны паспорт, действительный не менее 180 дней, и согласие "
     "собственника жилья",
     nullptr},
    {"measure.title.resettlement-north",
     "(start date approximate: the Enbek employment programme 2017-2021 set up today's "
     "scheme) State resettlement programme: yearly quotas and support for kandas and "
     "internal resettlers moving to the northern regions (Akmola, Abai, East Kazakhstan, "
     "Kostanay, North Kazakhstan, Pavlodar); support of 70 monthly calculation indices per "
     "family member plus 15-30 a month towards rent for a year",
     "(дата начала приблизительная: нынешняя схема введена программой занятости «Еңбек» на "
     "2017–2021 годы) Государственная программа переселения: ежегодные квоты и поддержка "
     "кандасов и внутренних переселенцев, переезжающих в северные регионы (Акмолинская, "
     "Абайская, Восточно-Казахстанская, Костанайская, Северо-Казахстанская и Павлодарская "
     "области); выплата в размере 70 МРП на каждого члена семьи и 15–30 МРП в месяц на "
     "аренду жилья в течение года",
     nullptr},
    // ---- section: factors, the models' notes phrased from their data (factors_section.cc) -----
    {"factors.spec.notes", "Notes:", "Примечания:", nullptr},
    {"factors.note.no_region_effects",
     "region effects are not identifiable (a region observed in one year only): the estimates "
     "compare regions with each other, so lasting regional traits are not held fixed",
     "региональные эффекты не идентифицируются (регион наблюдается только в одном году): оценки "
     "сравнивают регионы между собой, поэтому устойчивые особенности регионов не учтены",
     nullptr},
    {"factors.note.residual_balances",
     "{0} of {1} balances are estimated as residuals (1 January population change minus births "
     "plus deaths): they include international migration, while the official balances of 2022 "
     "onwards are inter-regional only; the year effects absorb the national level of "
     "international migration, not its regional pattern",
     "{0} из {1} значений сальдо — оценки балансовым методом (изменение численности населения на "
     "1 января за вычетом естественного прироста): они включают международную миграцию, тогда "
     "как официальные сальдо с 2022 года — только межрегиональные; эффекты лет поглощают "
     "общенациональный уровень международной миграции, но не её региональные различия",
     nullptr},
    {"factors.note.gross_registration",
     "registered arrivals and departures include moves between districts inside a region; {0}",
     "зарегистрированные прибытия и выбытия включают переезды между районами внутри региона; {0}",
     nullptr},
    {"factors.note.gross_registration.fitted",
     "the 2024 registration break (about +48% registered moves) is absorbed by the 2024 year "
     "effect only in so far as it is uniform across regions",
     "разрыв учёта 2024 года (около +48% зарегистрированных переездов) поглощается эффектом "
     "2024 года лишь в той мере, в какой он одинаков во всех регионах",
     nullptr},
    {"factors.note.gross_registration.out",
     "2024, the year of the registration break (about +48% registered moves), is not in the fit "
     "(its lagged covariates are incomplete: see the region-years left out)",
     "2024 год — год разрыва учёта (около +48% зарегистрированных переездов) — в оценку не вошёл "
     "(его лаговые объясняющие переменные неполны: см. исключённые регион-годы)",
     nullptr},
    {"factors.note.left_out", "region-years left out: {0}", "исключённые регион-годы: {0}",
     nullptr},
    {"factors.left_out.no 1 January population", "no 1 January population",
     "нет численности населения на 1 января", nullptr},
    {"factors.left_out.no births", "no births", "нет числа родившихся", nullptr},
    {"factors.left_out.no deaths", "no deaths", "нет числа умерших", nullptr},
    {"factors.left_out.no average population", "no average population",
     "нет среднегодовой численности населения", nullptr},
    {"factors.left_out.no income per capita", "no income per capita", "нет среднедушевых доходов",
     nullptr},
    {"factors.left_out.no unemployment rate", "no unemployment rate", "нет уровня безработицы",
     nullptr},
    {"factors.left_out.no housing commissioned", "no housing commissioned", "нет ввода жилья",
     nullptr},
    {"factors.left_out.no GRP per capita", "no GRP per capita", "нет ВРП на душу населения",
     nullptr},
    {"factors.left_out.no arrivals or departures", "no arrivals or departures",
     "нет числа прибывших или выбывших", nullptr},
    {"factors.note.flows_without_stock",
     "{0} flows ({1} persons) of pairs without a positive UN DESA stock at the period start are "
     "left out (no log); pair-periods with a stock and no flow row count as zero flows",
     "{0} потоков ({1} человек) между парами стран без положительной численности мигрантов "
     "(UN DESA) на начало периода исключены (логарифм не определён); пары-периоды с "
     "численностью мигрантов, но без строки потока, считаются нулевыми потоками",
     nullptr},
    {"factors.note.preliminary", "the last year's figures are preliminary",
     "данные последнего года предварительные", nullptr},
};

const std::map<std::string_view, const Message*>& Index() {
  static const std::map<std::string_view, const Message*> index = [] {
    std::map<std::string_view, const Message*> map;
    for (const Message& message : kMessages) map.emplace(message.id, &message);
    return map;
  }();
  return index;
}

const Message& Find(std::string_view id) {
  const auto& index = Index();
  const auto it = index.find(id);
  if (it == index.end()) {
    throw ComputeError(fmt::format("internal: no report message '{}'", id));
  }
  return *it->second;
}

}  // namespace

Lang ParseLang(std::string_view code) {
  if (code == "en") return Lang::kEn;
  if (code == "ru") return Lang::kRu;
  if (code == "kk") return Lang::kKk;
  throw UsageError(fmt::format("--lang: unknown language '{}' (one of: en, ru, kk)", code));
}

std::string_view LangCode(Lang lang) {
  switch (lang) {
    case Lang::kRu:
      return "ru";
    case Lang::kKk:
      return "kk";
    case Lang::kEn:
      break;
  }
  return "en";
}

std::string_view Msg(Lang lang, std::string_view id) {
  const Message& message = Find(id);
  switch (lang) {
    case Lang::kEn:
      return message.en;
    case Lang::kKk:
      if (message.kk != nullptr) return message.kk;
      return message.ru;
    case Lang::kRu:
      return message.ru;
  }
  return message.en;
}

bool HasKazakh(std::string_view id) { return Find(id).kk != nullptr; }

bool HasMessage(std::string_view id) { return Index().count(id) > 0; }

std::string MsgOr(Lang lang, std::string_view id, std::string_view fallback) {
  return HasMessage(id) ? std::string(Msg(lang, id)) : std::string(fallback);
}

const std::string& RegionName(const Region& region, Lang lang) {
  switch (lang) {
    case Lang::kRu:
      return region.name_ru.empty() ? region.name_en : region.name_ru;
    case Lang::kKk:
      return region.name_kk.empty() ? region.name_en : region.name_kk;
    case Lang::kEn:
      break;
  }
  return region.name_en;
}

std::string LocalRegionName(const RegionSystem& system, const std::string& name_en, Lang lang) {
  for (const Region& region : system.regions()) {
    if (region.name_en == name_en) return RegionName(region, lang);
  }
  return name_en;
}

std::string LocalRegionName(const std::string& name_en, Lang lang) {
  if (lang == Lang::kEn) return name_en;
  for (const char* system : {"kz-2022", "kz-2018", "kz-2009"}) {
    for (const Region& region : RegionSystem::Builtin(system).regions()) {
      if (region.name_en == name_en) return RegionName(region, lang);
    }
  }
  return name_en;
}

size_t MessageCount() { return std::size(kMessages); }

std::string_view MessageId(size_t index) { return kMessages[index].id; }

}  // namespace kazmig::report
