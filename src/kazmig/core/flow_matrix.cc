#include "kazmig/core/flow_matrix.h"

#ifdef __linux__
#include <sys/mman.h>
#endif

#include <cstdint>
#include <utility>

namespace kazmig {

namespace {

// `count` copies of `fill`; a large matrix is backed by transparent huge pages (advice given before
// the first write: a 3,000-region matrix is 72 MB, and faulting it in 4 KiB pages costs more than
// filling it).
std::vector<double> Filled(size_t count, double fill) {
  std::vector<double> values;
#ifdef __linux__
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  if (count * sizeof(double) >= 2 * kHuge) {
    values.reserve(count);
    const auto start = reinterpret_cast<uintptr_t>(values.data());
    const uintptr_t begin = (start + kHuge - 1) & ~(kHuge - 1);
    const uintptr_t end = (start + count * sizeof(double)) & ~(kHuge - 1);
    if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
#endif
  values.assign(count, fill);
  return values;
}

}  // namespace

FlowMatrix::FlowMatrix(size_t n, double fill) : n_(n), data_(Filled(n * n, fill)) {}

FlowMatrix::FlowMatrix(std::vector<std::string> ids, double fill)
    : n_(ids.size()), data_(Filled(ids.size() * ids.size(), fill)), ids_(std::move(ids)) {}

std::vector<double> FlowMatrix::RowSums(bool include_diagonal) const {
  std::vector<double> sums(n_, 0.0);
  for (size_t orig = 0; orig < n_; ++orig) {
    const double* r = row(orig);
    // The diagonal is skipped, not subtracted: a huge diagonal (1e20 stayers) would swallow the
    // off-diagonal flows in the sum.
    double s = 0.0;
    for (size_t dest = 0; dest < n_; ++dest) {
      if (include_diagonal || dest != orig) s += r[dest];
    }
    sums[orig] = s;
  }
  return sums;
}

std::vector<double> FlowMatrix::ColSums(bool include_diagonal) const {
  std::vector<double> sums(n_, 0.0);
  for (size_t orig = 0; orig < n_; ++orig) {
    const double* r = row(orig);
    for (size_t dest = 0; dest < n_; ++dest) {
      if (include_diagonal || dest != orig) sums[dest] += r[dest];
    }
  }
  return sums;
}

double FlowMatrix::Total(bool include_diagonal) const {
  double total = 0.0;
  for (size_t orig = 0; orig < n_; ++orig) {
    const double* r = row(orig);
    for (size_t dest = 0; dest < n_; ++dest) {
      if (include_diagonal || orig != dest) total += r[dest];
    }
  }
  return total;
}

void FlowMatrix::ZeroDiagonal() {
  for (size_t k = 0; k < n_; ++k) (*this)(k, k) = 0.0;
}

FlowMatrix FlowMatrix::Transposed() const {
  FlowMatrix t(n_);
  for (size_t orig = 0; orig < n_; ++orig) {
    for (size_t dest = 0; dest < n_; ++dest) t(dest, orig) = (*this)(orig, dest);
  }
  t.ids_ = ids_;
  return t;
}

}  // namespace kazmig
