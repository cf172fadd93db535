#include "kazmig/app/provenance.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>

#include "kazmig/core/error.h"
#include "kazmig/io/csv.h"

namespace kazmig::app {

void ProvenanceInput::Add(const std::string& source) {
  if (std::find(sources.begin(), sources.end(), source) == sources.end()) {
    sources.push_back(source);
  }
}

ProvenanceInput FileProvenance(const std::string& path) {
  ProvenanceInput input{path, {}};
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".geojson" || ext == ".json") return input;
  if (!io::CanReadAgain(path)) {
    throw InputError(path, 0, 0,
                     "is a pipe or device: --with-provenance reads each input twice; save it to "
                     "a file first");
  }
  io::CsvReader csv(path);
  const auto column = csv.FindColumn("provenance");
  if (!column) return input;
  while (csv.Next()) {
    const std::string_view value = csv.Field(*column);
    if (!value.empty()) input.Add(std::string(value));
  }
  return input;
}

std::string ComputedProvenance(std::string_view command,
                               const std::vector<ProvenanceInput>& inputs) {
  std::string text = fmt::format("computed by kazmig {}", command);
  bool first = true;
  for (const ProvenanceInput& input : inputs) {
    if (input.name.empty()) continue;
    text += first ? " from " : ", ";
    first = false;
    text += input.name;
    if (!input.sources.empty()) text += fmt::format(" [{}]", fmt::join(input.sources, "; "));
  }
  return text;
}

}  // namespace kazmig::app
