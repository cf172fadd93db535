#include "kazmig/project/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kazmig/core/error.h"

namespace kazmig::project {
namespace {

[[noreturn]] void Fail(const std::string& key, const std::string& what) {
  throw InputError(key, 0, 0, what);
}

void CheckYears(const std::string& key, int first_year, int last_year) {
  if (first_year > last_year) {
    Fail(key, fmt::format("first year {} is after last year {}", first_year, last_year));
  }
}

void CheckFiniteValue(const std::string& key, double value, const char* what) {
  if (!std::isfinite(value)) Fail(key, fmt::format("{} is not a finite number", what));
}

void CheckMix(const std::string& key, const std::vector<RegionWeight>& mix, size_t region_count,
              const char* what) {
  for (const RegionWeight& entry : mix) {
    if (entry.region_idx >= region_count) {
      Fail(key, fmt::format("{}: region index {} out of range", what, entry.region_idx));
    }
    if (!std::isfinite(entry.weight) || entry.weight < 0) {
      Fail(key, fmt::format("{}: weight {} is not a non-negative number", what, entry.weight));
    }
  }
}

// The share of each entry of `mix` given the populations (weights normalised, or populations
// when every weight is 0).
std::vector<double> Shares(const std::vector<RegionWeight>& mix,
                           const std::vector<double>& population) {
  double total = 0;
  bool by_population = true;
  for (const RegionWeight& entry : mix) by_population = by_population && entry.weight == 0;
  std::vector<double> shares(mix.size());
  for (size_t idx = 0; idx < mix.size(); ++idx) {
    shares[idx] = by_population ? population[mix[idx].region_idx] : mix[idx].weight;
    total += shares[idx];
  }
  for (double& share : shares) share = total > 0 ? share / total : 0;
  return shares;
}

}  // namespace

Scenario Compose(const std::vector<Scenario>& parts) {
  Scenario composed;
  std::string name;
  std::string description;
  for (const Scenario& part : parts) {
    if (!part.empty()) {
      name += (name.empty() ? "" : "+") + part.name;
      if (!part.description.empty()) {
        description += (description.empty() ? "" : " ") + part.description;
      }
    }
    composed.transfers.insert(composed.transfers.end(), part.transfers.begin(),
                              part.transfers.end());
    composed.international.insert(composed.international.end(), part.international.begin(),
                                  part.international.end());
    composed.urban_pulls.insert(composed.urban_pulls.end(), part.urban_pulls.begin(),
                                part.urban_pulls.end());
  }
  if (name.empty() && !parts.empty()) name = parts.front().name;
  composed.name = name.empty() ? "baseline" : name;
  composed.description = description;
  std::sort(composed.transfers.begin(), composed.transfers.end());
  std::sort(composed.international.begin(), composed.international.end());
  std::sort(composed.urban_pulls.begin(), composed.urban_pulls.end());
  return composed;
}

void ValidateScenario(const Scenario& scenario, const std::vector<std::string>& region_ids,
                      const std::vector<double>& population) {
  const size_t region_count = region_ids.size();
  for (const InternalTransfer& transfer : scenario.transfers) {
    CheckYears(transfer.key, transfer.first_year, transfer.last_year);
    CheckFiniteValue(transfer.key, transfer.persons, "persons");
    if (transfer.persons < 0) {
      Fail(transfer.key,
           fmt::format("persons {} is negative (swap origins and destinations)", transfer.persons));
    }
    if (transfer.origins.empty()) Fail(transfer.key, "no origin regions");
    if (transfer.destinations.empty()) Fail(transfer.key, "no destination regions");
    CheckMix(transfer.key, transfer.origins, region_count, "origins");
    CheckMix(transfer.key, transfer.destinations, region_count, "destinations");
    for (const RegionWeight& origin : transfer.origins) {
      for (const RegionWeight& destination : transfer.destinations) {
        if (origin.region_idx == destination.region_idx) {
          Fail(transfer.key, fmt::format("region {} is both an origin and a destination",
                                         region_ids[origin.region_idx]));
        }
      }
    }
    const std::vector<double> shares = Shares(transfer.origins, population);
    for (size_t idx = 0; idx < shares.size(); ++idx) {
      const size_t region_idx = transfer.origins[idx].region_idx;
      const double taken = transfer.persons * shares[idx];
      if (taken > population[region_idx]) {
        Fail(transfer.key,
             fmt::format("takes {:.0f} persons a year from region {}, more than its population "
                         "{:.0f}",
                         taken, region_ids[region_idx], population[region_idx]));
      }
    }
  }
  for (const InternationalChange& change : scenario.international) {
    CheckYears(change.key, change.first_year, change.last_year);
    CheckFiniteValue(change.key, change.persons, "persons");
    CheckMix(change.key, change.regions, region_count, "regions");
    if (change.persons < 0) {
      const std::vector<double> shares =
          change.regions.empty() ? std::vector<double>() : Shares(change.regions, population);
      for (size_t idx = 0; idx < shares.size(); ++idx) {
        const size_t region_idx = change.regions[idx].region_idx;
        if (-change.persons * shares[idx] > population[region_idx]) {
          Fail(change.key, fmt::format("takes {:.0f} persons a year from region {}, more than "
                                       "its population {:.0f}",
                                       -change.persons * shares[idx], region_ids[region_idx],
                                       population[region_idx]));
        }
      }
    }
  }
  for (const UrbanPull& pull : scenario.urban_pulls) {
    CheckYears(pull.key, pull.first_year, pull.last_year);
    CheckFiniteValue(pull.key, pull.percent, "percent");
    if (pull.percent < -100) Fail(pull.key, fmt::format("percent {} is below -100", pull.percent));
    if (pull.cities.empty()) Fail(pull.key, "no cities");
    for (size_t city_idx : pull.cities) {
      if (city_idx >= region_count) {
        Fail(pull.key, fmt::format("city index {} out of range", city_idx));
      }
    }
    if (pull.cities.size() >= region_count) {
      Fail(pull.key, "every region is a city: nobody left to move from");
    }
  }
}

}  // namespace kazmig::project
