// Test tables shared by the stock-based estimators' tests: the 4-country example F1 of the methods
// file (Abel 2013; docs/methods/estimation.md), origins A-D, rows places of birth, columns places
// of residence. Header-only; for *_test.cc files of this module.
#ifndef KAZMIG_ESTIMATE_INTERNAL_F1_TABLES_H_
#define KAZMIG_ESTIMATE_INTERNAL_F1_TABLES_H_

#include <algorithm>
#include <initializer_list>

#include "kazmig/core/flow_matrix.h"

namespace kazmig::estimate::internal {

// A 4 x 4 matrix over ids A, B, C, D from 16 values in row order.
inline FlowMatrix Matrix4(std::initializer_list<double> values) {
  FlowMatrix m({"A", "B", "C", "D"});
  std::copy(values.begin(), values.end(), m.data().begin());
  return m;
}

// F1's stock tables at the start and the end of the period.
inline const FlowMatrix kF1Start =
    Matrix4({1000, 100, 10, 0, 55, 555, 50, 5, 80, 40, 800, 40, 20, 25, 20, 200});
inline const FlowMatrix kF1End =
    Matrix4({950, 100, 60, 0, 80, 505, 75, 5, 90, 30, 800, 40, 40, 45, 0, 180});

}  // namespace kazmig::estimate::internal

#endif  // KAZMIG_ESTIMATE_INTERNAL_F1_TABLES_H_
