// `kazmig regions [VINTAGE] [--region ID]`: the regions of a boundary vintage.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "command.h"
#include "kazmig/core/region.h"
#include "kazmig/io/csv.h"

namespace kazmig::cli {
namespace {

struct RegionsOptions {
  std::string vintage = "kz-2022";
  std::string region;
  OutputOptions output;
};

void Run(const RegionsOptions& options) {
  const RegionSystem& system = RegionSystem::Builtin(options.vintage);
  std::vector<size_t> chosen;
  if (!options.region.empty()) {
    chosen.push_back(system.Resolve(options.region, "--region"));
  } else {
    for (size_t region_idx = 0; region_idx < system.size(); ++region_idx) {
      chosen.push_back(region_idx);
    }
  }
  Output out(options.output);
  switch (options.output.ParsedFormat()) {
    case Format::kCsv: {
      io::CsvWriter csv(out.stream());
      csv.Row("id", "iso", "name_en", "name_kk", "name_ru", "latitude", "longitude", "valid");
      for (size_t idx : chosen) {
        const Region& r = system[idx];
        csv.Row(r.id, r.iso, r.name_en, r.name_kk, r.name_ru, r.latitude, r.longitude, r.valid);
      }
      break;
    }
    case Format::kJson: {
      nlohmann::ordered_json regions = nlohmann::ordered_json::array();
      for (size_t idx : chosen) {
        const Region& r = system[idx];
        regions.push_back({{"id", r.id},
                           {"iso", r.iso},
                           {"name_en", r.name_en},
                           {"name_kk", r.name_kk},
                           {"name_ru", r.name_ru},
                           {"latitude", r.latitude},
                           {"longitude", r.longitude},
                           {"valid", r.valid},
                           {"aliases", r.aliases}});
      }
      nlohmann::ordered_json doc = {{"system", system.name()}, {"regions", regions}};
      out.stream() << doc.dump(2) << '\n';
      break;
    }
    case Format::kTable: {
      TextTable table({"id", "iso", "name", "қазақша", "по-русски", "lat", "lon", "borders"});
      for (size_t idx : chosen) {
        const Region& r = system[idx];
        table.AddRow({r.id, r.iso, r.name_en, r.name_kk, r.name_ru,
                      fmt::format("{:.2f}", r.latitude), fmt::format("{:.2f}", r.longitude),
                      r.valid});
      }
      out.stream() << system.name() << ": " << system.size() << " regions\n\n";
      table.Print(out.stream());
      break;
    }
  }
  out.Commit();
}

void Setup(CLI::App& app, Globals& /*globals*/) {
  auto options = std::make_shared<RegionsOptions>();
  auto* cmd = app.add_subcommand(
      "regions", "List the regions of a boundary vintage (kz-2009, kz-2018, kz-2022)");
  cmd->add_option("vintage", options->vintage, "Region system: kz-2009, kz-2018 or kz-2022")
      ->check(CLI::IsMember(RegionSystem::BuiltinNames()))
      ->capture_default_str();
  cmd->add_option("--region", options->region,
                  "Show one region (KATO code, ISO code, or a name in English, Kazakh or Russian)");
  AddOutputOptions(cmd, options->output);
  cmd->callback([options] { Run(*options); });
}

const bool registered = RegisterCommand({"regions", 10, &Setup});

}  // namespace
}  // namespace kazmig::cli
