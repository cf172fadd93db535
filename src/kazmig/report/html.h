// Building blocks of kazmig's HTML reports: escaping, number formatting for people, tables and a
// document of numbered sections with a shared, numbered list of sources.
//
// The document is self-contained (inline CSS, inline SVG, no scripts or network access) and prints
// well (print CSS: A4, no page breaks inside figures and tables).
//
//   report::Document doc("Migration situation report", "Kazakhstan, 1991–2025");
//   report::Section& s = doc.AddSection("population", "Population and migration balance");
//   s.Paragraph("Astana gained the most people from other regions.");
//   report::Table table({"Region", "Net 2023"});
//   table.AddRow({report::Cell::Text("Astana"), report::Cell::Number(50078)});   // "50,078"
//   s.AddTable(table, "Inter-regional net migration", {doc.Cite("BNS, table 6567")});
//   std::string html = doc.Render();
#ifndef KAZMIG_REPORT_HTML_H_
#define KAZMIG_REPORT_HTML_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/report/messages.h"

namespace kazmig::report {

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string EscapeHtml(std::string_view text);

// A number for people: rounded to `decimals`, thousands separated with ',' ("25,387", "-1,204",
// "12.3"); "–" (en dash) for NaN. `plus_sign` writes "+" before positive values.
std::string FormatThousands(double value, int decimals = 0, bool plus_sign = false);

// A model-based estimate of a number of persons for people: 3 significant digits, then whole
// persons, thousands separated ("406,000" for 406,313; "543" for 542.53), as `--format table`
// shows estimated persons (app::Unit::kEstimatedPersons, docs/output.md); "–" for NaN.
std::string FormatEstimate(double value, bool plus_sign = false);

// Text from data (a scenario's description, a register title): `local`, the data's own text in
// the report's language, when there is one; else the English text, quoted as such (lang="en") in
// a Russian or Kazakh report. HTML, escaped.
std::string DataText(const std::string& english, const std::string& local, Lang lang);

// An SVG coordinate or length: one decimal ("12.3").
std::string SvgNumber(double value);

// One table cell. Numbers are right-aligned; `mark` is a short superscript after the value
// ("e" estimated, "p" preliminary) explained in the table's notes.
struct Cell {
  std::string html;  // already escaped
  bool numeric = false;
  std::string css_class;

  static Cell Text(std::string_view text);
  static Cell Number(double value, int decimals = 0, bool plus_sign = false,
                     std::string_view mark = {});
  // An estimated number of persons (FormatEstimate), e.g. a modelled flow or a projection.
  static Cell Estimate(double value, bool plus_sign = false, std::string_view mark = {});
  static Cell Html(std::string html, bool numeric = false);
};

class Table {
 public:
  explicit Table(std::vector<std::string> header);
  void AddRow(std::vector<Cell> row);
  // A row rendered in bold at the foot of the table (totals).
  void AddFootRow(std::vector<Cell> row);
  size_t row_count() const { return rows_.size(); }
  // The <table> element with a <caption>.
  std::string Render(std::string_view caption) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<Cell>> rows_;
  std::vector<std::vector<Cell>> foot_;
};

// A numbered section of a document. Figures and tables are numbered across the document.
class Section {
 public:
  const std::string& id() const { return id_; }
  const std::string& title() const { return title_; }
  // The language of its document (the catalogue's messages: Tr(section.lang(), id, ...)).
  Lang lang() const;

  void Paragraph(std::string_view text);  // escaped
  void RawHtml(std::string html);         // trusted markup
  void Note(std::string_view text);       // a small-print note (escaped)
  // A figure (SVG markup) with its caption, source references (numbers from Document::Cite) and
  // optionally its data table beside it (`side_table_html`; empty: none).
  // `kinds` ("official", "estimated") are shown as badges after the caption.
  // `data_table`: a figure whose data are in a separate table of the document passes that table's
  // key (AddTable's return value, or Document::UpcomingTable() for the next table); the source
  // line then links "Data: Table N" to it (0: none).
  void AddFigure(std::string svg, std::string_view caption, const std::vector<int>& sources,
                 std::string side_table_html = {}, const std::vector<std::string>& kinds = {},
                 int data_table = 0);
  // A table with its caption, source references, notes and provenance badges. Returns its key
  // (for AddFigure's `data_table`).
  int AddTable(const Table& table, std::string_view caption, const std::vector<int>& sources,
               std::string_view notes = {}, const std::vector<std::string>& kinds = {});

 private:
  friend class Document;
  Section(class Document* document, std::string id, std::string title)
      : document_(document), id_(std::move(id)), title_(std::move(title)) {}
  class Document* document_;
  std::string id_;
  std::string title_;
  std::string body_;
};

class Document {
 public:
  Document(std::string title, std::string subtitle, Lang lang = Lang::kEn);

  Lang lang() const { return lang_; }
  // The catalogue's message `id` in the document's language (report/messages.h).
  std::string Text(std::string_view id) const { return std::string(Msg(lang_, id)); }
  template <typename... Args>
  std::string Text(std::string_view id, Args&&... args) const {
    return Tr(lang_, id, std::forward<Args>(args)...);
  }

  // Metadata shown in the title block ("Generated", "Data", ...), in order.
  void AddMeta(std::string label, std::string value);
  // Key figures shown as cards under the title block: a big value and a short explanation.
  void AddKeyFigure(std::string value, std::string label, std::string note = {});
  // An executive summary: bullet points (escaped).
  void AddSummaryPoint(std::string text);

  Section& AddSection(std::string id, std::string title);
  // The section `id`, or nullptr.
  Section* FindSection(std::string_view id);
  // Makes section `child` a sub-section of section `parent` (numbered "N.M", rendered after the
  // parent's own content, sub-sections in the order they were added). Nothing happens when either
  // is missing (the child then stays a top-level section).
  void Nest(std::string_view child, std::string_view parent);
  // Renders the key figures and the summary as the first numbered section, titled `title` (else
  // they stand unnumbered under the title block).
  void SetFindingsTitle(std::string title) { findings_title_ = std::move(title); }
  // The number of a source in the document's source list (added when new).
  int Cite(const std::string& source);

  // Figures and tables are numbered in the order they appear in the rendered document (not the
  // order they were added): Section writes placeholders with these keys, Render numbers them.
  int NextFigureNumber() { return ++figures_; }
  int NextTableNumber() { return ++tables_; }
  // The key the next table added will get (a figure before its data table links to it).
  int UpcomingTable() const { return tables_ + 1; }

  // The complete HTML page.
  std::string Render() const;

 private:
  std::string title_;
  std::string subtitle_;
  Lang lang_ = Lang::kEn;
  std::vector<std::pair<std::string, std::string>> meta_;
  struct KeyFigure {
    std::string value;
    std::string label;
    std::string note;
  };
  std::vector<KeyFigure> key_figures_;
  std::vector<std::string> summary_;
  std::vector<std::unique_ptr<Section>> sections_;
  std::vector<std::pair<std::string, std::string>> nesting_;  // (child, parent)
  std::string findings_title_;
  std::vector<std::string> sources_;
  int figures_ = 0;
  int tables_ = 0;
};

// Badges for provenance kinds: <span class="badge official">official</span> ...
std::string KindBadges(const std::vector<std::string>& kinds, Lang lang = Lang::kEn);

// "[1, 3]" links to the sources list; empty for no sources.
std::string SourceLinks(const std::vector<int>& sources);

}  // namespace kazmig::report

#endif  // KAZMIG_REPORT_HTML_H_
