// RegionSeries: values of one indicator by region and year, each with its provenance.
//
//   RegionSeries pop("population_avg", "persons", {"71", "75"});
//   size_t official = pop.AddProvenance(Provenance::Official("BNS table 6576"));
//   pop.Set(1, 2023, 2228675, official);
//   std::optional<double> v = pop.Get(1, 2023);
//   const Provenance& p = pop.ProvenanceOf(1, 2023);
#ifndef KAZMIG_CORE_REGION_SERIES_H_
#define KAZMIG_CORE_REGION_SERIES_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kazmig/core/provenance.h"

namespace kazmig {

class RegionSeries {
 public:
  RegionSeries() = default;
  RegionSeries(std::string indicator, std::string unit, std::vector<std::string> region_ids);

  const std::string& indicator() const { return indicator_; }
  const std::string& unit() const { return unit_; }
  const std::vector<std::string>& region_ids() const { return region_ids_; }
  size_t region_count() const { return region_ids_.size(); }
  // The index of region `id`, or nullopt when the series has no such region.
  std::optional<size_t> Find(std::string_view id) const;

  // Registers a provenance and returns its handle (identical provenances share a handle).
  size_t AddProvenance(const Provenance& provenance);
  const std::vector<Provenance>& provenances() const { return provenances_; }

  void Set(size_t region_idx, int year, double value, size_t provenance_handle);
  std::optional<double> Get(size_t region_idx, int year) const;
  // The provenance of a value that exists (Get() returned a value); throws std::out_of_range else.
  const Provenance& ProvenanceOf(size_t region_idx, int year) const;

  // Sorted years with at least one value.
  std::vector<int> Years() const;
  // Values of every region in `year` (NaN where missing).
  std::vector<double> Column(int year) const;

 private:
  struct Cell {
    double value;
    size_t provenance;
  };
  std::string indicator_;
  std::string unit_;
  std::vector<std::string> region_ids_;
  std::vector<Provenance> provenances_;
  std::map<int, std::vector<std::optional<Cell>>> by_year_;
};

}  // namespace kazmig

#endif  // KAZMIG_CORE_REGION_SERIES_H_
