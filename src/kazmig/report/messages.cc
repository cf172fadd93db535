#include "kazmig/report/messages.h"

#include <algorithm>
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
    {"meta.language.ru",
     "Russian: headings, labels, region names and the text of the first sections; the running "
     "text of the analytical sections is still in English",
     "русский: заголовки, подписи, названия регионов и текст первых разделов; текст аналитических "
     "разделов пока на английском языке",
     nullptr},
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

}  // namespace kazmig::report
