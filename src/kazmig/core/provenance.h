// Provenance: where a number comes from. Every value kazmig stores or prints carries one.
//
//   auto p = Provenance::Official("BNS table 6584", "population on 1 January; released 2023-05");
//   auto e = Provenance::Estimated("net-constrained IPF", "prior: gravity, beta=1.2;
//   total=264000"); p.ToString();   // "official: BNS table 6584 (population on 1 January; released
//   2023-05)" Provenance::Parse(p.ToString()) == p;
//
// A preliminary figure (one the agency may still revise) carries `preliminary`: its importer sets
// the flag from the source (the note "2025 may be preliminary" of the CIS-Stat file) and says so in
// the detail, which is what the store keeps; reading a stored provenance sets the flag again from
// the detail (DetailMarksPreliminary), so faces read the flag, never the text.
#ifndef KAZMIG_CORE_PROVENANCE_H_
#define KAZMIG_CORE_PROVENANCE_H_

#include <string>
#include <string_view>

namespace kazmig {

struct Provenance {
  enum class Kind { kOfficial, kEstimated };

  Kind kind = Kind::kOfficial;
  // Official: the source (agency and table). Estimated: the method.
  std::string source;
  // Official: table, release date, notes. Estimated: inputs and parameters.
  std::string detail;
  // The value is preliminary (the source says it may be revised). The detail says so too.
  bool preliminary = false;

  static Provenance Official(std::string source, std::string detail = {});
  static Provenance Estimated(std::string method, std::string detail = {});

  bool official() const { return kind == Kind::kOfficial; }
  // "official" or "estimated".
  std::string_view KindName() const;
  // "official: SOURCE (DETAIL)" or "estimated: METHOD (DETAIL)"; the parenthesis only with detail.
  std::string ToString() const;
  // Inverse of ToString() (preliminary set by DetailMarksPreliminary of the detail); throws
  // InputError on text that is not a provenance.
  static Provenance Parse(std::string_view text);
  // The one rule by which stored text marks a preliminary value: the detail contains the word
  // "preliminary" (any case).
  static bool DetailMarksPreliminary(std::string_view detail);

  friend bool operator==(const Provenance&, const Provenance&) = default;
};

}  // namespace kazmig

#endif  // KAZMIG_CORE_PROVENANCE_H_
