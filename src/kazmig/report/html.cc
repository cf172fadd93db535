#include "kazmig/report/html.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "kazmig/app/result_table.h"
#include "kazmig/core/error.h"

namespace kazmig::report {
namespace {

// The report's style sheet: a sober, print-friendly look (serif body, sans-serif figures).
constexpr std::string_view kStyle = R"css(
:root { --ink:#1d2733; --muted:#5b6673; --rule:#d5dbe1; --accent:#0b4f71; --paper:#ffffff;
        --band:#f3f6f8; --est:#8a5a00; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; color: var(--ink); background: #eef1f4;
       font-family: "Source Serif Pro", "Noto Serif", Georgia, "Times New Roman", serif;
       line-height: 1.5; }
main { max-width: 1080px; margin: 0 auto; background: var(--paper); padding: 0 56px 48px;
       box-shadow: 0 0 24px rgba(0,0,0,.08); }
h1, h2, h3, .fig-caption, table, .meta, .cards, nav, .source, .legend-note {
  font-family: "Source Sans Pro", "Noto Sans", "Helvetica Neue", Arial, sans-serif; }
header.title { border-bottom: 4px solid var(--accent); padding: 48px 0 24px; margin-bottom: 24px; }
header.title .kicker { text-transform: uppercase; letter-spacing: .12em; font-size: .8rem;
                       color: var(--accent); font-weight: 600;
                       font-family: "Source Sans Pro", "Noto Sans", Arial, sans-serif; }
h1 { font-size: 2.2rem; line-height: 1.15; margin: 8px 0 6px; }
header.title .subtitle { font-size: 1.15rem; color: var(--muted); margin: 0 0 16px; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: .85rem;
        color: var(--muted); margin: 0; }
.meta dt { font-weight: 600; color: var(--ink); }
.meta dd { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px;
         margin: 24px 0; }
.card { background: var(--band); border-left: 4px solid var(--accent); padding: 12px 14px; }
.card .value { font-size: 1.6rem; font-weight: 700; line-height: 1.2; }
.card .label { font-size: .9rem; }
.card .note { font-size: .75rem; color: var(--muted); margin-top: 4px; }
.summary { background: var(--band); padding: 12px 20px 12px 36px; margin: 0 0 24px; }
.summary li { margin: 4px 0; }
nav { font-size: .9rem; margin-bottom: 16px; }
nav > ol { margin: 4px 0; padding-left: 0; columns: 2; list-style: none; }
nav ol ol { list-style: none; padding-left: 22px; margin: 0; }
nav li { break-inside: avoid; }
nav .num { display: inline-block; min-width: 22px; color: var(--muted); }
nav ol ol .num { min-width: 30px; }
h3.sub { font-size: 1.2rem; color: var(--accent); margin-top: 28px; }
h3.sub .num { color: var(--muted); font-weight: 400; margin-right: 8px; }
nav a, .src a { color: var(--accent); text-decoration: none; }
h2 { font-size: 1.5rem; border-bottom: 1px solid var(--rule); padding-bottom: 4px;
     margin-top: 40px; color: var(--accent); }
h2 .num { color: var(--muted); font-weight: 400; margin-right: 8px; }
figure { margin: 20px 0; }
figure.chart .plot { break-inside: avoid; page-break-inside: avoid; }
.fig-row { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 20px;
           align-items: start; }
.fig-stack .side { margin-top: 12px; }
.side table { margin: 0; font-size: .8rem; }
.side caption { font-size: .8rem; }
.panels { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px; }
.fig-row .panels { grid-template-columns: minmax(0, 1fr); }
.panel-title { font-family: "Source Sans Pro", "Noto Sans", Arial, sans-serif; font-size: .85rem;
               font-weight: 600; margin: 0 0 4px; }
figure svg { width: 100%; height: auto; display: block; }
.fig-caption { font-size: .9rem; margin-top: 6px; }
.fig-caption b, caption b { color: var(--accent); }
.source { font-size: .78rem; color: var(--muted); margin: 4px 0 0; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: 8px 0;
        font-variant-numeric: tabular-nums; }
caption { text-align: left; font-size: .9rem; padding: 4px 0 6px; caption-side: top; }
th { overflow-wrap: break-word; text-align: left; border-bottom: 2px solid var(--ink); padding: 4px 8px; vertical-align: bottom;
     background: var(--paper); position: sticky; top: 0; }
td { border-bottom: 1px solid var(--rule); padding: 3px 8px; overflow-wrap: break-word; }
td small { white-space: nowrap; }
/* Russian and Kazakh words are long: a wide table of text hyphenates (or breaks a word) rather
   than overflow its box. */
html[lang="ru"] th, html[lang="ru"] td, html[lang="kk"] th, html[lang="kk"] td {
  hyphens: auto; overflow-wrap: anywhere; }
td .line { display: block; white-space: nowrap; }
td .line.wrap { white-space: normal; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
tfoot td { font-weight: 700; border-top: 2px solid var(--ink); border-bottom: none; }
tbody tr:nth-child(even) td { background: #fafbfc; }
sup.mark { color: var(--est); font-weight: 700; margin-left: 1px; line-height: 0; }
td.neg { color: #9e1b1b; }
td.pos { color: #134f86; }
.note { font-size: .8rem; color: var(--muted); }
.badge { display: inline-block; font-size: .7rem; padding: 0 6px; border-radius: 3px;
         font-family: Arial, sans-serif; vertical-align: middle; font-weight: 700; }
.badge.official { background: #e3f0e6; color: #1d5c2c; }
.badge.estimated { background: #fcefd9; color: var(--est); }
ol.sources { font-size: .8rem; padding-left: 24px; }
ol.sources li { margin: 3px 0; }
footer { margin-top: 40px; font-size: .75rem; color: var(--muted); border-top: 1px solid var(--rule);
         padding-top: 8px; }
@media (max-width: 800px) { main { padding: 0 16px 32px; } .fig-row { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { background: #fff; font-size: 9.5pt; }
  main { box-shadow: none; padding: 0; max-width: none; }
  nav { font-size: 8.5pt; break-inside: avoid; page-break-inside: avoid; }
  header.title { padding-top: 0; }
  h2, h3, h4, caption { break-after: avoid; page-break-after: avoid; }
  h2 { margin-top: 16px; }
  h2, h3, h4 { break-inside: avoid; }
  .fig-row { display: block; }
  .fig-row.narrow { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
                    gap: 10px; break-inside: avoid; page-break-inside: avoid; }
  .fig-row .panels { display: block; }
  .fig-row .panels svg { max-height: 62mm; }
  .fig-row:not(.narrow) .plot > svg { max-height: 62mm; }
  figure.keep, .side.keep { break-inside: avoid; page-break-inside: avoid; }
  figure.chart .plot svg { max-height: 150mm; }
  .fig-row .side, .fig-stack .side { margin-top: 8px; }
  th { position: static; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  tr, .card, figure.chart .plot, figcaption, .source { break-inside: avoid; page-break-inside: avoid; }
  td, th { padding: 1px 5px; line-height: 1.35; }
  p { orphans: 3; widows: 3; }
}
)css";

// Placeholders of figure and table numbers ("\x1eFD3\x1f": the definition of figure key 3;
// "\x1eTR2\x1f": a reference to table key 2), numbered by Render in document order.
std::string Token(char kind, bool definition, int key) {
  return fmt::format("\x1e{}{}{}\x1f", kind, definition ? 'D' : 'R', key);
}

// Replaces the placeholders: figures and tables are numbered in the order their definitions
// appear. A reference to a table or figure that is not in the document is a programming error.
std::string ResolveNumbers(const std::string& html) {
  std::map<std::string, int> numbers;  // "F3" -> 1
  int figures = 0, tables = 0;
  for (size_t at = html.find('\x1e'); at != std::string::npos; at = html.find('\x1e', at + 1)) {
    const size_t end = html.find('\x1f', at);
    if (end == std::string::npos || end < at + 3) break;
    if (html[at + 2] != 'D') continue;
    const std::string key = html.substr(at + 1, 1) + html.substr(at + 3, end - at - 3);
    if (numbers.count(key) == 0) numbers[key] = html[at + 1] == 'F' ? ++figures : ++tables;
  }
  std::string out;
  out.reserve(html.size());
  size_t from = 0;
  for (size_t at = html.find('\x1e'); at != std::string::npos; at = html.find('\x1e', from)) {
    const size_t end = html.find('\x1f', at);
    if (end == std::string::npos || end < at + 3) break;
    out.append(html, from, at - from);
    const std::string key = html.substr(at + 1, 1) + html.substr(at + 3, end - at - 3);
    const auto it = numbers.find(key);
    if (it == numbers.end()) {
      throw ComputeError(fmt::format("internal: a reference to {} {} that is not in the report",
                                     key[0] == 'F' ? "figure" : "table", key.substr(1)));
    }
    out += std::to_string(it->second);
    from = end + 1;
  }
  out.append(html, from, std::string::npos);
  return out;
}

void AppendCells(std::string& out, const std::vector<Cell>& row) {
  out += "<tr>";
  for (const Cell& cell : row) {
    std::string classes = cell.numeric ? "num" : "";
    if (!cell.css_class.empty()) classes += (classes.empty() ? "" : " ") + cell.css_class;
    out += classes.empty() ? "<td>" : fmt::format("<td class=\"{}\">", classes);
    out += cell.html;
    out += "</td>";
  }
  out += "</tr>\n";
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string SvgNumber(double value) { return fmt::format("{:.1f}", value); }

std::string FormatThousands(double value, int decimals, bool plus_sign) {
  if (std::isnan(value)) return "\u2013";
  if (std::isinf(value)) return value > 0 ? "\u221e" : "-\u221e";
  std::string digits = fmt::format("{:.{}f}", std::abs(value), decimals);
  // "-0" after rounding is 0.
  const bool negative = value < 0 && digits.find_first_not_of("0.") != std::string::npos;
  const bool positive = value > 0 && digits.find_first_not_of("0.") != std::string::npos;
  const size_t point = digits.find('.');
  std::string integer = digits.substr(0, point);
  const std::string fraction = point == std::string::npos ? "" : digits.substr(point);
  std::string grouped;
  for (size_t digit_idx = 0; digit_idx < integer.size(); ++digit_idx) {
    if (digit_idx > 0 && (integer.size() - digit_idx) % 3 == 0) grouped += ',';
    grouped += integer[digit_idx];
  }
  return (negative ? "-" : (plus_sign && positive ? "+" : "")) + grouped + fraction;
}

std::string DataText(const std::string& english, const std::string& local, Lang lang) {
  if (lang == Lang::kEn || english.empty()) return EscapeHtml(english);
  if (!local.empty()) return EscapeHtml(local);
  return "<span lang=\"en\">" + EscapeHtml(english) + "</span>";
}

std::string FormatEstimate(double value, bool plus_sign) {
  if (!std::isfinite(value)) return FormatThousands(value, 0, plus_sign);
  return FormatThousands(app::RoundSignificant(value, 3), 0, plus_sign);
}

Cell Cell::Text(std::string_view text) { return Cell{EscapeHtml(text), false, {}}; }

Cell Cell::Number(double value, int decimals, bool plus_sign, std::string_view mark) {
  Cell cell{FormatThousands(value, decimals, plus_sign), true, {}};
  if (!mark.empty()) cell.html += fmt::format("<sup class=\"mark\">{}</sup>", EscapeHtml(mark));
  return cell;
}

Cell Cell::Estimate(double value, bool plus_sign, std::string_view mark) {
  Cell cell{FormatEstimate(value, plus_sign), true, {}};
  if (!mark.empty()) cell.html += fmt::format("<sup class=\"mark\">{}</sup>", EscapeHtml(mark));
  return cell;
}

Cell Cell::Html(std::string html, bool numeric) { return Cell{std::move(html), numeric, {}}; }

Table::Table(std::vector<std::string> header) : header_(std::move(header)) {}

void Table::AddRow(std::vector<Cell> row) { rows_.push_back(std::move(row)); }

void Table::AddFootRow(std::vector<Cell> row) { foot_.push_back(std::move(row)); }

std::string Table::Render(std::string_view caption) const {
  // A column is numeric (right-aligned header) when its first body cell is.
  std::string out = "<table>";
  if (!caption.empty()) out += fmt::format("<caption>{}</caption>", caption);
  out += "<thead><tr>";
  for (size_t column_idx = 0; column_idx < header_.size(); ++column_idx) {
    const bool numeric =
        !rows_.empty() && column_idx < rows_[0].size() && rows_[0][column_idx].numeric;
    out += fmt::format("<th scope=\"col\"{}>{}</th>", numeric ? " class=\"num\"" : "",
                       EscapeHtml(header_[column_idx]));
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows_) AppendCells(out, row);
  out += "</tbody>";
  if (!foot_.empty()) {
    out += "<tfoot>";
    for (const auto& row : foot_) AppendCells(out, row);
    out += "</tfoot>";
  }
  out += "</table>\n";
  return out;
}

void Section::Paragraph(std::string_view text) {
  body_ += fmt::format("<p>{}</p>\n", EscapeHtml(text));
}

void Section::RawHtml(std::string html) { body_ += html; }

Lang Section::lang() const { return document_ == nullptr ? Lang::kEn : document_->lang(); }

void Section::Note(std::string_view text) {
  body_ += fmt::format("<p class=\"note\">{}</p>\n", EscapeHtml(text));
}

std::string KindBadges(const std::vector<std::string>& kinds, Lang lang) {
  std::string out;
  for (const std::string& kind : kinds) {
    const std::string label =
        kind == "official" || kind == "estimated" ? std::string(Msg(lang, kind)) : kind;
    out += fmt::format(" <span class=\"badge {}\">{}</span>", EscapeHtml(kind), EscapeHtml(label));
  }
  return out;
}

void Section::AddFigure(std::string svg, std::string_view caption, const std::vector<int>& sources,
                        std::string side_table_html, const std::vector<std::string>& kinds,
                        int data_table) {
  const int key = document_->NextFigureNumber();
  const std::string data_link =
      data_table > 0
          ? fmt::format(" \u00b7 {0}: <a class=\"data-ref\" href=\"#table-{1}\">{2} {1}</a>",
                        EscapeHtml(document_->Text("data")), Token('T', false, data_table),
                        EscapeHtml(document_->Text("table")))
          : std::string();
  // The chart and its caption stay together (one block that is never split across pages); the
  // data table goes beside it when it is narrow (at most 4 columns), else below it, so that no
  // table is squeezed into a scroll box; in print only a table of at most 3 columns stays beside
  // its chart.
  const std::string plot = fmt::format(
      "<div class=\"plot\">{}<figcaption class=\"fig-caption\"><b>{} {}.</b> {}{}<p "
      "class=\"source\">{}: {}{}</p></figcaption></div>",
      svg, EscapeHtml(document_->Text("figure")), Token('F', false, key), EscapeHtml(caption),
      KindBadges(kinds, document_->lang()), EscapeHtml(document_->Text("sources")),
      SourceLinks(sources), data_link);
  body_ += fmt::format("<figure id=\"figure-{}\" class=\"chart\"{}>", Token('F', true, key),
                       data_table > 0
                           ? fmt::format(" data-table=\"table-{}\"", Token('T', false, data_table))
                           : std::string());
  if (side_table_html.empty()) {
    body_ += plot;
  } else {
    size_t columns = 0;
    for (size_t at = side_table_html.find("<th scope=\"col\""); at != std::string::npos;
         at = side_table_html.find("<th scope=\"col\"", at + 1)) {
      ++columns;
    }
    size_t rows = 0;
    for (size_t at = side_table_html.find("<tr>"); at != std::string::npos;
         at = side_table_html.find("<tr>", at + 1)) {
      ++rows;
    }
    body_ += fmt::format("<div class=\"{}\">{}<div class=\"side{}\">{}</div></div>",
                         columns <= 3   ? "fig-row narrow"
                         : columns <= 4 ? "fig-row"
                                        : "fig-stack",
                         plot, rows <= 25 ? " keep" : "", side_table_html);
  }
  body_ += "</figure>\n";
}

int Section::AddTable(const Table& table, std::string_view caption, const std::vector<int>& sources,
                      std::string_view notes, const std::vector<std::string>& kinds) {
  const int key = document_->NextTableNumber();
  // A short table is never split across pages (its caption stays with its rows); a long one
  // breaks between rows, its header repeated.
  body_ += fmt::format("<figure id=\"table-{}\"{}>", Token('T', true, key),
                       table.row_count() <= 25 ? " class=\"keep\"" : "");
  body_ += table.Render(fmt::format("<b>{} {}.</b> {}{}", EscapeHtml(document_->Text("table")),
                                    Token('T', false, key), EscapeHtml(caption),
                                    KindBadges(kinds, document_->lang())));
  if (!notes.empty()) body_ += fmt::format("<p class=\"source\">{}</p>", EscapeHtml(notes));
  body_ += fmt::format("<p class=\"source\">{}: {}</p></figure>\n",
                       EscapeHtml(document_->Text("sources")), SourceLinks(sources));
  return key;
}

Document::Document(std::string title, std::string subtitle, Lang lang)
    : title_(std::move(title)), subtitle_(std::move(subtitle)), lang_(lang) {}

void Document::AddMeta(std::string label, std::string value) {
  meta_.emplace_back(std::move(label), std::move(value));
}

void Document::AddKeyFigure(std::string value, std::string label, std::string note) {
  key_figures_.push_back({std::move(value), std::move(label), std::move(note)});
}

void Document::AddSummaryPoint(std::string text) { summary_.push_back(std::move(text)); }

Section& Document::AddSection(std::string id, std::string title) {
  sections_.push_back(std::unique_ptr<Section>(new Section(this, std::move(id), std::move(title))));
  return *sections_.back();
}

Section* Document::FindSection(std::string_view id) {
  for (const auto& section : sections_) {
    if (section->id() == id) return section.get();
  }
  return nullptr;
}

void Document::Nest(std::string_view child, std::string_view parent) {
  if (child == parent || FindSection(child) == nullptr || FindSection(parent) == nullptr) return;
  nesting_.emplace_back(std::string(child), std::string(parent));
}

int Document::Cite(const std::string& source) {
  for (size_t source_idx = 0; source_idx < sources_.size(); ++source_idx) {
    if (sources_[source_idx] == source) return static_cast<int>(source_idx) + 1;
  }
  sources_.push_back(source);
  return static_cast<int>(sources_.size());
}

std::string SourceLinks(const std::vector<int>& sources) {
  if (sources.empty()) return "\u2013";
  std::string out = "<span class=\"src\">[";
  for (size_t idx = 0; idx < sources.size(); ++idx) {
    if (idx > 0) out += ", ";
    out += fmt::format("<a href=\"#source-{0}\">{0}</a>", sources[idx]);
  }
  return out + "]</span>";
}

std::string Document::Render() const {
  std::string out;
  out += fmt::format("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
                     LangCode(lang_));
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
                     EscapeHtml(title_), kStyle);
  out += fmt::format("<header class=\"title\"><div class=\"kicker\">{}</div>",
                     EscapeHtml(Text("kicker")));
  out += fmt::format("<h1>{}</h1><p class=\"subtitle\">{}</p>", EscapeHtml(title_),
                     EscapeHtml(subtitle_));
  if (!meta_.empty()) {
    out += "<dl class=\"meta\">";
    for (const auto& [label, value] : meta_) {
      out += fmt::format("<dt>{}</dt><dd>{}</dd>", EscapeHtml(label), EscapeHtml(value));
    }
    out += "</dl>";
  }
  out += "</header>\n";
  // The outline: top-level sections in order, each with its sub-sections.
  auto parent_of = [&](const std::string& id) -> const std::string* {
    for (const auto& [child, parent] : nesting_) {
      if (child == id) return &parent;
    }
    return nullptr;
  };
  std::vector<std::pair<const Section*, std::vector<const Section*>>> outline;
  for (const auto& section : sections_) {
    if (parent_of(section->id()) == nullptr) outline.push_back({section.get(), {}});
  }
  for (const auto& section : sections_) {
    const std::string* parent = parent_of(section->id());
    if (parent == nullptr) continue;
    for (auto& [top, children] : outline) {
      if (top->id() == *parent) children.push_back(section.get());
    }
  }
  const bool findings = !findings_title_.empty() && (!key_figures_.empty() || !summary_.empty());
  int number = findings ? 1 : 0;
  out += fmt::format("<nav aria-label=\"{0}\"><b>{0}</b><ol>", EscapeHtml(Text("contents")));
  if (findings) {
    out += fmt::format("<li><span class=\"num\">1</span><a href=\"#findings\">{}</a></li>",
                       EscapeHtml(findings_title_));
  }
  {
    int top_number = number;
    for (const auto& [top, children] : outline) {
      ++top_number;
      out += fmt::format("<li><span class=\"num\">{}</span><a href=\"#{}\">{}</a>", top_number,
                         EscapeHtml(top->id()), EscapeHtml(top->title()));
      if (!children.empty()) {
        out += "<ol>";
        int sub = 0;
        for (const Section* child : children) {
          out +=
              fmt::format("<li><span class=\"num\">{}.{}</span><a href=\"#{}\">{}</a></li>",
                          top_number, ++sub, EscapeHtml(child->id()), EscapeHtml(child->title()));
        }
        out += "</ol>";
      }
      out += "</li>";
    }
  }
  if (!sources_.empty()) {
    out += fmt::format("<li><span class=\"num\"></span><a href=\"#sources\">{}</a></li>",
                       EscapeHtml(Text("sources")));
  }
  out += "</ol></nav>\n";
  if (findings) {
    out += fmt::format("<section id=\"findings\"><h2><span class=\"num\">1</span>{}</h2>\n",
                       EscapeHtml(findings_title_));
  }
  if (!key_figures_.empty()) {
    out += fmt::format("<div class=\"cards\" role=\"group\" aria-label=\"{}\">",
                       EscapeHtml(Text("key_figures")));
    for (const KeyFigure& figure : key_figures_) {
      out += fmt::format(
          "<div class=\"card\"><div class=\"value\">{}</div><div class=\"label\">{}</div>",
          EscapeHtml(figure.value), EscapeHtml(figure.label));
      if (!figure.note.empty()) {
        out += fmt::format("<div class=\"note\">{}</div>", EscapeHtml(figure.note));
      }
      out += "</div>";
    }
    out += "</div>\n";
  }
  if (!summary_.empty()) {
    out += fmt::format("<div class=\"summary-block\"><h3>{}</h3><ul class=\"summary\">",
                       EscapeHtml(Text("summary")));
    for (const std::string& point : summary_) out += fmt::format("<li>{}</li>", EscapeHtml(point));
    out += "</ul></div>\n";
  }
  if (findings) out += "</section>\n";
  for (const auto& [top, children] : outline) {
    ++number;
    out += fmt::format("<section id=\"{}\"><h2><span class=\"num\">{}</span>{}</h2>\n{}",
                       EscapeHtml(top->id()), number, EscapeHtml(top->title()), top->body_);
    int sub = 0;
    for (const Section* child : children) {
      out += fmt::format(
          "<section id=\"{}\" class=\"sub\"><h3 class=\"sub\"><span class=\"num\">{}.{}</span>{}"
          "</h3>\n{}</section>\n",
          EscapeHtml(child->id()), number, ++sub, EscapeHtml(child->title()), child->body_);
    }
    out += "</section>\n";
  }
  if (!sources_.empty()) {
    out += fmt::format("<section id=\"sources\"><h2>{}</h2><ol class=\"sources\">",
                       EscapeHtml(Text("sources")));
    for (size_t source_idx = 0; source_idx < sources_.size(); ++source_idx) {
      out += fmt::format("<li id=\"source-{}\">{}</li>", source_idx + 1,
                         EscapeHtml(sources_[source_idx]));
    }
    out += "</ol></section>\n";
  }
  out += fmt::format("<footer>{}</footer>\n", EscapeHtml(Text("footer")));
  out += "</main>\n</body>\n</html>\n";
  return ResolveNumbers(out);
}

}  // namespace kazmig::report
