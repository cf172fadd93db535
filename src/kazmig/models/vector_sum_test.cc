#include "kazmig/models/vector_sum.h"

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>

#include "kazmig/core/rng.h"

namespace kazmig::models {
namespace {

double Streamed(const Eigen::VectorXd& values) {
  VectorSum sum(static_cast<size_t>(values.size()));
  for (Eigen::Index idx = 0; idx < values.size(); ++idx) sum.Add(values[idx]);
  return sum.Result();
}

// Values of very different sizes, so that any change of the order of the additions shows in the
// last bits.
Eigen::VectorXd Values(Eigen::Index n, uint64_t seed) {
  Rng rng(seed);
  Eigen::VectorXd values(n);
  for (Eigen::Index idx = 0; idx < n; ++idx) {
    values[idx] = std::exp(rng.Uniform(-20, 20)) * (rng.Uniform(0, 1) < 0.3 ? -1 : 1);
  }
  return values;
}

TEST(VectorSum, HasTheBitsOfEigensSumForEveryLength) {
  int differs_from_plain = 0;
  for (Eigen::Index n = 0; n <= 70; ++n) {
    const Eigen::VectorXd values = Values(n, 100 + static_cast<uint64_t>(n));
    EXPECT_EQ(Streamed(values), values.sum()) << "n = " << n;
    double plain = 0;
    for (Eigen::Index idx = 0; idx < n; ++idx) plain += values[idx];
    if (plain != values.sum()) ++differs_from_plain;
  }
  for (Eigen::Index n : {1001, 4096, 100003, 1000000}) {
    const Eigen::VectorXd values = Values(n, static_cast<uint64_t>(n));
    EXPECT_EQ(Streamed(values), values.sum()) << "n = " << n;
  }
  // The test can fail: with vectorisation the order is not the plain one.
  if (VectorSum::kLanes > 1) {
    EXPECT_GT(differs_from_plain, 10);
  }
}

// The forms the models use: the mean of a matrix column and of squared deviations.
TEST(VectorSum, HasTheBitsOfEigensMeansOfAColumnAndOfAnExpression) {
  for (Eigen::Index n : {3, 8, 77, 12345}) {
    Eigen::MatrixXd matrix(n, 1);
    matrix.col(0) = Values(n, 7 + static_cast<uint64_t>(n));
    const auto column = matrix.col(0);
    const double mean = column.mean();
    VectorSum sum(static_cast<size_t>(n)), squares(static_cast<size_t>(n));
    for (Eigen::Index idx = 0; idx < n; ++idx) {
      sum.Add(column[idx]);
      const double deviation = column[idx] - mean;
      squares.Add(deviation * deviation);
    }
    EXPECT_EQ(sum.Result() / static_cast<double>(n), mean);
    EXPECT_EQ(squares.Result() / static_cast<double>(n), (column.array() - mean).square().mean());
  }
}

}  // namespace
}  // namespace kazmig::models
