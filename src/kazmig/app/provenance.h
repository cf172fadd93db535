// The provenance text of rows a use case computes from its inputs, the one place that spells it:
//   computed by kazmig indicators regions from flows.csv [official: BNS ...], pop.csv
// Each input is named with, in brackets, the distinct provenances of the values used from it (a
// file's own `provenance` column, or the store's provenance of a built-in series).
//
//   app::ProvenanceInput flows = app::FileProvenance("flows.csv");
//   app::ProvenanceInput nets{"kz:net_internal", {}};
//   nets.Add(series.ProvenanceOf(region_idx, year).ToString());
//   std::string text = app::ComputedProvenance("indicators", {flows, nets});
#ifndef KAZMIG_APP_PROVENANCE_H_
#define KAZMIG_APP_PROVENANCE_H_

#include <string>
#include <string_view>
#include <vector>

namespace kazmig::app {

// An input named in a computed row's provenance.
struct ProvenanceInput {
  std::string name;                  // a path, or "kz:net_internal" for a built-in series
  std::vector<std::string> sources;  // distinct, in order first met
  // Appends `source` unless it is already there.
  void Add(const std::string& source);
};

// A CSV input: its path and the distinct non-empty values of its `provenance` column (none without
// one; GeoJSON inputs, .geojson or .json, have none and are not read). Throws InputError as
// io::CsvReader does.
ProvenanceInput FileProvenance(const std::string& path);

// "computed by kazmig COMMAND from INPUT [SOURCES], INPUT, ..."; inputs without a name are left
// out, an input without sources has no brackets.
std::string ComputedProvenance(std::string_view command,
                               const std::vector<ProvenanceInput>& inputs);

}  // namespace kazmig::app

#endif  // KAZMIG_APP_PROVENANCE_H_
