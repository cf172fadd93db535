// FlowMatrix: a dense origin-destination matrix (row = origin, column = destination).
//
//   FlowMatrix m({"A", "B", "C"});
//   m(0, 1) = 10;                      // A -> B
//   std::vector<double> out = m.RowSums(), in = m.ColSums();
//   double total = m.Total();          // off-diagonal total
//
// Counts may be fractional (estimates). The diagonal is kept (stayers, or an IPF cell) but the
// migration helpers (Total, RowSums(false), ...) ignore it unless asked.
#ifndef KAZMIG_CORE_FLOW_MATRIX_H_
#define KAZMIG_CORE_FLOW_MATRIX_H_

#include <cstddef>
#include <string>
#include <vector>

namespace kazmig {

class FlowMatrix {
 public:
  FlowMatrix() = default;
  explicit FlowMatrix(size_t n, double fill = 0.0);
  explicit FlowMatrix(std::vector<std::string> ids, double fill = 0.0);

  size_t size() const { return n_; }
  double& operator()(size_t orig, size_t dest) { return data_[orig * n_ + dest]; }
  double operator()(size_t orig, size_t dest) const { return data_[orig * n_ + dest]; }
  double* row(size_t orig) { return data_.data() + orig * n_; }
  const double* row(size_t orig) const { return data_.data() + orig * n_; }
  std::vector<double>& data() { return data_; }
  const std::vector<double>& data() const { return data_; }

  // Region ids labelling rows and columns (may be empty for an unlabelled matrix).
  const std::vector<std::string>& ids() const { return ids_; }
  void set_ids(std::vector<std::string> ids) { ids_ = std::move(ids); }

  // Out-flows O_i (row sums) and in-flows D_j (column sums); the diagonal is left out unless
  // `include_diagonal`.
  std::vector<double> RowSums(bool include_diagonal = false) const;
  std::vector<double> ColSums(bool include_diagonal = false) const;
  double Total(bool include_diagonal = false) const;
  void ZeroDiagonal();
  FlowMatrix Transposed() const;

 private:
  size_t n_ = 0;
  std::vector<double> data_;
  std::vector<std::string> ids_;
};

// A sparse list of flows for large systems (thousands of units): (orig, dest, flow) triplets over
// `n` units, no particular order, no duplicates by contract.
struct SparseFlows {
  struct Entry {
    size_t orig;
    size_t dest;
    double flow;
  };
  size_t n = 0;
  std::vector<Entry> entries;
  std::vector<std::string> ids;
};

}  // namespace kazmig

#endif  // KAZMIG_CORE_FLOW_MATRIX_H_
