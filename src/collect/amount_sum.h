#pragma once
// Sums CoinW amounts (decimals of at most 8 places) exactly, in units of 1e-8:
// adding 100,000 doubles would print float noise (306564.46412158007) where
// CoinW's own figures are exact. Amounts too large for the units (above 9e10)
// are added as doubles.
#include <cmath>

namespace coinw::collect {

class AmountSum {
 public:
  void add(double v) {
    if (std::isnan(v)) return;
    if (std::fabs(v) < 9e10)
      units_ += std::llround(v * 1e8);
    else
      rest_ += v;
  }
  double value() const { return static_cast<double>(units_) / 1e8 + rest_; }

 private:
  __extension__ using Units = __int128;  // 1e5 amounts of 9e10 are 9e23 units: beyond int64
  Units units_ = 0;
  double rest_ = 0;
};

}  // namespace coinw::collect
