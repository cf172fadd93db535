#include "kazmig/app/provenance.h"

#include <gtest/gtest.h>

#include "kazmig/testing/testing.h"

namespace kazmig::app {
namespace {

using ::kazmig::testing::TempDir;

TEST(FileProvenance, DistinctNonEmptyValuesOfTheColumnInOrder) {
  TempDir dir;
  dir.Write("flows.csv",
            "orig,dest,flow,provenance\nA,B,1,official: BNS\nB,A,2,\nA,C,3,estimated: x\n"
            "C,A,4,official: BNS\n");
  dir.Write("plain.csv", "orig,dest,flow\nA,B,1\n");
  const std::string flows = (dir.path() / "flows.csv").string();
  const ProvenanceInput input = FileProvenance(flows);
  EXPECT_EQ(input.name, flows);
  EXPECT_EQ(input.sources, (std::vector<std::string>{"official: BNS", "estimated: x"}));
  EXPECT_TRUE(FileProvenance((dir.path() / "plain.csv").string()).sources.empty());
  // GeoJSON has no provenance column and is not read as CSV.
  EXPECT_TRUE(FileProvenance((dir.path() / "absent.geojson").string()).sources.empty());
}

TEST(ComputedProvenance, NamesTheInputsWithTheirSources) {
  ProvenanceInput nets{"kz:net_internal", {}};
  nets.Add("official: BNS");
  nets.Add("official: BNS");
  nets.Add("official: BNS (2025)");
  EXPECT_EQ(ComputedProvenance("indicators", {nets, {"pop.csv", {}}, {"", {"ignored"}}}),
            "computed by kazmig indicators from kz:net_internal [official: BNS; official: BNS "
            "(2025)], pop.csv");
  EXPECT_EQ(ComputedProvenance("crosswalk", {}), "computed by kazmig crosswalk");
}

}  // namespace
}  // namespace kazmig::app
