// A running sum that adds a stream of doubles in the order and grouping Eigen uses for the sum of
// a contiguous, aligned vector of the same length (v.sum(), v.mean(), (v - m).square().mean(), a
// column of a matrix): the same bits, without the vector. The models that walk a permutation of
// their data (the doubly-constrained balancing walks the flows by origin, not in file order) keep
// the figures they had when the permuted copy was summed by Eigen.
//
//   models::VectorSum sum(n);
//   for (...) sum.Add(value);  // exactly n values
//   double total = sum.Result();
//
// Eigen (3.4, Redux.h, linear vectorised traversal) sums packets of P doubles (P = 2 with SSE2,
// 4 with AVX, 8 with AVX-512; 1 without vectorisation, then a plain left-to-right sum) into two
// packet accumulators taking alternate packets up to the last multiple of 2P, adds them lane by
// lane, adds one more packet when a whole one remains, reduces the lanes by halves (lane k +
// lane k + P/2, ...) and adds the last n mod P values one by one. vector_sum_test.cc checks the
// bits against Eigen's own sums for many lengths.
#ifndef KAZMIG_MODELS_VECTOR_SUM_H_
#define KAZMIG_MODELS_VECTOR_SUM_H_

#include <Eigen/Core>
#include <array>
#include <cstddef>

namespace kazmig::models {

class VectorSum {
 public:
  static constexpr size_t kLanes =
      Eigen::internal::packet_traits<double>::Vectorizable
          ? static_cast<size_t>(Eigen::internal::packet_traits<double>::size)
          : 1;

  explicit VectorSum(size_t n)
      : end2_(n / (2 * kLanes) * (2 * kLanes)), end1_(n / kLanes * kLanes) {}

  void Add(double value) {
    const size_t at = index_++;
    if (kLanes == 1 || end1_ == 0) {  // a plain sum
      result_ = at == 0 ? value : result_ + value;
      return;
    }
    if (at < end1_) {
      const size_t lane = at % kLanes;
      if (at < end2_) {
        const size_t which = (at / kLanes) % 2;
        double& acc = packets_[which][lane];
        acc = at < 2 * kLanes ? value : acc + value;
      } else {
        packets_[2][lane] = value;  // the one packet after the last pair
      }
      if (at + 1 == end1_) Reduce();
      return;
    }
    result_ += value;
  }

  // The sum of the n values added (0 for n = 0).
  double Result() const { return result_; }

 private:
  void Reduce() {
    std::array<double, kLanes> lanes = packets_[2];  // one packet only
    if (end1_ > kLanes) {  // two packets or more: the accumulators, then the packet left over
      lanes = packets_[0];
      for (size_t lane = 0; lane < kLanes; ++lane) lanes[lane] = lanes[lane] + packets_[1][lane];
      if (end1_ > end2_) {
        for (size_t lane = 0; lane < kLanes; ++lane) lanes[lane] = lanes[lane] + packets_[2][lane];
      }
    }
    for (size_t width = kLanes; width > 1; width /= 2) {
      for (size_t lane = 0; lane < width / 2; ++lane) {
        lanes[lane] = lanes[lane] + lanes[lane + width / 2];
      }
    }
    result_ = lanes[0];
  }

  size_t end2_, end1_;
  size_t index_ = 0;
  std::array<std::array<double, kLanes>, 3> packets_{};
  double result_ = 0;
};

}  // namespace kazmig::models

#endif  // KAZMIG_MODELS_VECTOR_SUM_H_
