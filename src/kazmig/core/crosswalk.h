// Crosswalk: converting region values between Kazakhstan's boundary vintages.
//
// Every unit of every vintage is a union of "atoms", the units of kz-2022 (the finest): e.g. East
// Kazakhstan at 2018 borders = East Kazakhstan (2022) + Abai; South Kazakhstan (kz-2009) =
// Turkistan + Shymkent. Converting from system A to B:
//   counts: B_b = sum_a A_a * w(atoms(a) & atoms(b)) / w(atoms(a))   (splits by weight, merges add)
//   rates:  B_b = sum_a A_a * w(atoms(a) & atoms(b)) / w(atoms(b))   (merges: weighted mean;
//                                                                      splits: copied)
// where w() sums the weights (population) of atoms. Weights are only needed where a unit is
// split (counts) or merged (rates); a missing one is an InputError naming it.
//
//   Crosswalk cw(RegionSystem::Builtin("kz-2018"), RegionSystem::Builtin("kz-2022"), weights);
//   std::vector<double> v2022 = cw.ConvertCounts(v2018);
//   // v2018 == Crosswalk(kz2022, kz2018, weights).ConvertCounts(v2022) (exactly)
#ifndef KAZMIG_CORE_CROSSWALK_H_
#define KAZMIG_CORE_CROSSWALK_H_

#include <map>
#include <string>
#include <vector>

#include "kazmig/core/region.h"

namespace kazmig {

class Crosswalk {
 public:
  // `atom_weights`: kz-2022 region id -> weight (population in the weight year). Only the atoms
  // of split (counts) or merged (rates) units are required.
  Crosswalk(const RegionSystem& from, const RegionSystem& to,
            std::map<std::string, double> atom_weights);

  // The kz-2022 ids a unit of a built-in vintage covers.
  static std::vector<std::string> Atoms(const std::string& vintage, const std::string& region_id);

  // `values` are in `from`'s region order; the result is in `to`'s order. NaN in a source unit
  // propagates to every target unit it touches.
  std::vector<double> ConvertCounts(const std::vector<double>& values) const;
  std::vector<double> ConvertRates(const std::vector<double>& values) const;

  const RegionSystem& from() const { return *from_; }
  const RegionSystem& to() const { return *to_; }

 private:
  struct Link {
    size_t from_idx;
    size_t to_idx;
    double count_share;  // share of the source unit's count going to the target unit
    double rate_share;   // share of the target unit's weight coming from the source unit
  };
  std::vector<double> Apply(const std::vector<double>& values, bool counts) const;

  const RegionSystem* from_;
  const RegionSystem* to_;
  std::vector<Link> links_;
};

}  // namespace kazmig

#endif  // KAZMIG_CORE_CROSSWALK_H_
